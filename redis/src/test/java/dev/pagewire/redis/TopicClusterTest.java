package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import dev.pagewire.Page;
import dev.pagewire.Pagewire;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicListener;
import dev.pagewire.TopicRule;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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

    /** Names the calling page, as a login would. */
    @RemoteProxy
    public static class Name {
        /** Sets the page's attribute {@code name}. */
        @RemoteMethod
        public void set(String name, Page page) {
            page.setAttribute("name", name);
        }
    }

    private TestServer node() {
        return TestServer.start(Pagewire.builder().backend(RedisBackend.create(redis.uri())).expose(Name.class)
                .topic(TopicRule.on("/stocks/*").subscribe(TopicAccess.anyone())));
    }

    private static Map<String, Object> names(TestServer node, String topic) {
        return node.pagewire().topics().topic(topic).subscribers().stream()
                .collect(Collectors.toMap(p -> p.id() + " " + p.path(), p -> p.getAttribute("name")));
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

    /**
     * Both nodes publish the latest values of two keys, each key from a and b in turn. A page that
     * acknowledges nothing meanwhile then gets one value per key, the latest, whether its node's
     * copy had them queued (a) or it is loaded from Redis (b), with one version sequence per key
     * for the cluster: {@code skipped} counts exactly the values it never got.
     */
    @Test
    void latestValuesPublishedByBothNodesReachAStalledPageOnePerKeyWithTheirSkippedCount() {
        PageClient page = a.page("/x/");
        assertNull(page.call("PagewireTopics", "subscribe", "/stocks/*").get("error"));
        TopicUpdates updates = new TopicUpdates();
        latest(a, "ACME", "first");
        latest(b, "IBM", "first");
        assertEquals(List.of("/stocks/ACME first", "/stocks/ACME first"), updates.until(page, 2));

        for (int n = 1; n <= 200; n++) { // IBM from a, b, a...; ACME from b, a, b...
            latest((n / 2) % 2 == 0 ? a : b, n % 2 == 1 ? "IBM" : "ACME", Integer.toString(n));
        }
        b.pagewire().topics().topic("/stocks/ACME").publish("end");
        List<JsonObject> fromRedis = updates.pendingUntil(page.at(b.port()), "end"); // b loads the page
        List<JsonObject> fromCopy = updates.pendingUntil(page, "end");

        assertEquals(fromCopy, fromRedis, "the same updates from a's copy and from Redis");
        updates.apply(fromCopy);
        assertEquals(List.of(new TopicUpdates.Latest("/stocks/ACME", "ACME", 1, 0, "first"),
                new TopicUpdates.Latest("/stocks/ACME", "IBM", 1, 0, "first"),
                new TopicUpdates.Latest("/stocks/ACME", "IBM", 101, 99, "199"),
                new TopicUpdates.Latest("/stocks/ACME", "ACME", 101, 99, "200")), updates.latest(),
                "one value per key, the latest, versions counted for both nodes: 99 of each key skipped");
        assertEquals(3, fromCopy.size(), "and the plain publish: " + fromCopy);
    }

    /** Plain publishes on a topic that also has latest values are all delivered, in order. */
    @Test
    void plainPublishesOnATopicWithLatestValuesAreAllDeliveredInOrder() {
        PageClient page = a.page("/x/");
        assertNull(page.call("PagewireTopics", "subscribe", "/stocks/ACME").get("error"));
        TopicUpdates updates = new TopicUpdates();
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 100; n++) {
            TestServer node = n % 2 == 0 ? a : b;
            node.pagewire().topics().topic("/stocks/ACME").publish("plain " + n);
            latest(node, "ACME", "latest " + n);
            expected.add("/stocks/ACME plain " + n);
        }
        expected.add("/stocks/ACME latest 100");
        List<JsonObject> fromRedis = updates.pendingUntil(page.at(b.port()), "latest 100");
        List<JsonObject> fromCopy = updates.pendingUntil(page, "latest 100");

        assertEquals(fromCopy, fromRedis, "the same updates from a's copy and from Redis");
        assertEquals(expected, updates.apply(fromCopy), "every plain publish in order, then the latest value");
    }

    private static void latest(TestServer node, String key, String value) {
        node.pagewire().topics().topic("/stocks/ACME").publishLatest(key, value);
    }

    /** Presence from either node lists the subscribed pages of both, with their names. */
    @Test
    void presenceSeenFromOneNodeListsThePagesOfBoth() {
        PageClient ann = a.page("/x/");
        PageClient bob = b.page("/y/");
        List<String> heardOnA = new CopyOnWriteArrayList<>();
        a.pagewire().topics().addListener(new TopicListener() {
            @Override
            public void subscribed(Page page, String pattern) {
                heardOnA.add(page.getAttribute("name") + " " + pattern);
            }
        });
        ann.call("Name", "set", "ann");
        bob.call("Name", "set", "bob");
        assertNull(ann.call("PagewireTopics", "subscribe", "/stocks/*").get("error"));
        assertNull(bob.call("PagewireTopics", "subscribe", "/stocks/ACME").get("error"));
        assertEquals(List.of("ann /stocks/*"), heardOnA, "a's listener heard the subscribe a served, once, as it returned");

        Map<String, Object> both = Map.of(ann.pageId() + " /x/", "ann", bob.pageId() + " /y/", "bob");
        assertEquals(both, names(b, "/stocks/ACME"), "from b: ann on a too");
        assertEquals(both, names(a, "/stocks/ACME"), "from a: bob on b too");
        assertEquals(Map.of(ann.pageId() + " /x/", "ann"), names(b, "/stocks/OTHER"), "only ann's pattern matches");

        assertNull(ann.call("PagewireTopics", "unsubscribe", "/stocks/*").get("error"));
        assertEquals(Map.of(bob.pageId() + " /y/", "bob"), names(b, "/stocks/ACME"), "ann left");
        assertEquals(204, bob.post("/unload", "{\"page\":\"" + bob.pageId() + "\",\"token\":\"" + bob.token() + "\"}",
                Map.of("Content-Type", "text/plain")).status());
        Wait.until("bob's page, ended on b, gone from presence on a", 10, () -> names(a, "/stocks/ACME").isEmpty());
    }
}
