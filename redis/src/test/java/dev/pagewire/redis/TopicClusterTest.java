package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.Pagewire;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A topic publish on one node reaches the subscribed pages of both nodes through a real
 * redis-server (one write, target {@code t:<topic>}), and no unsubscribed page.
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

    /** Polls until the page has {@code n} topic updates, acknowledging what it got. */
    private static List<String> received(PageClient page, int n) {
        List<String> got = new ArrayList<>();
        long[] ack = {0};
        Wait.until(n + " topic updates on " + page.pageId(), 20, () -> {
            PageClient.Reply r = page.post("/poll", "{\"ack\":" + ack[0] + "}", page.pageHeaders());
            assertEquals(200, r.status(), r.body());
            for (JsonElement e : r.json().getAsJsonArray("updates")) {
                JsonObject u = e.getAsJsonObject();
                if (u.get("seq").getAsLong() > ack[0]) {
                    ack[0] = u.get("seq").getAsLong();
                    got.add(u.get("topic").getAsString() + " " + u.get("data").getAsString());
                }
            }
            return got.size() >= n;
        });
        return got;
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

        assertEquals(List.of("/stocks/ACME up", "/stocks/OTHER other"), received(onA, 2));
        assertEquals(List.of("/stocks/ACME up"), received(onB, 1));
        assertEquals(List.of("/stocks/OTHER other"), received(quiet, 1), "only its own topic");
    }
}
