package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pagewire.Pagewire;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A topic publish on one node reaches the subscribed pages of both nodes through a real
 * redis-server (one write, target {@code t:<topic>}), and no unsubscribed page; a page's
 * subscriptions hold on every node that serves it.
 */
class TopicClusterTest {
    @AutoClose
    private final RedisServer redis = RedisServer.start();
    @AutoClose
    private final TestServer a = node();
    @AutoClose
    private final TestServer b = node();

    private TestServer node() {
        return TestServer.start(Pagewire.builder().backend(RedisBackend.create(redis.uri()))
                .topic(TopicRule.on("/stocks/*").subscribe(TopicAccess.anyone())));
    }

    @Test
    void aPublishOnOneNodeReachesTheSubscribersOfBoth() {
        PageClient onA = a.page("/x/");
        PageClient onB = b.page("/x/");
        PageClient quiet = a.page("/x/");
        assertNull(onA.call("PagewireTopics", "subscribe", "/stocks/*").get("error"));
        assertNull(onB.call("PagewireTopics", "subscribe", "/stocks/ACME").get("error"));
        assertNull(quiet.call("PagewireTopics", "subscribe", "/stocks/OTHER").get("error"));

        b.pagewire().topics().topic("/stocks/ACME").publish("up");
        a.pagewire().topics().topic("/stocks/OTHER").publish("other");

        assertEquals(List.of("/stocks/ACME up", "/stocks/OTHER other"), new TopicUpdates().until(onA, 2));
        assertEquals(List.of("/stocks/ACME up"), new TopicUpdates().until(onB, 1));
        assertEquals(List.of("/stocks/OTHER other"), new TopicUpdates().until(quiet, 1), "only its own topic");
    }

    /**
     * Without sticky sessions both nodes hold a copy of the page: a subscription made on one node
     * reaches the other's copy, and so does an unsubscribe made there.
     */
    @Test
    void aSubscriptionMadeOnOneNodeHoldsOnTheOtherNodesCopy() {
        PageClient onA = a.page("/x/");
        PageClient onB = onA.at(b.port());
        TopicUpdates updates = new TopicUpdates();
        assertEquals(List.of(), updates.until(onB, 0), "node b holds a copy of the page now");
        assertNull(onA.call("PagewireTopics", "subscribe", "/stocks/ACME").get("error"));
        assertNull(onA.call("PagewireTopics", "subscribe", "/stocks/OTHER").get("error"));

        a.pagewire().topics().topic("/stocks/ACME").publish("one");
        assertEquals(List.of("/stocks/ACME one"), updates.until(onB, 1), "b's copy follows a's subscribe");

        assertNull(onB.call("PagewireTopics", "unsubscribe", "/stocks/ACME").get("error"));
        b.pagewire().topics().topic("/stocks/ACME").publish("two");
        b.pagewire().topics().topic("/stocks/OTHER").publish("three");
        assertEquals(List.of("/stocks/ACME one", "/stocks/OTHER three"), updates.until(onA, 2),
                "a's copy follows b's unsubscribe: nothing on /stocks/ACME after it");
    }
}
