package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.testing.NodeProcess;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Nodes as real processes on a real redis-server: a page subscribed on a node that is killed
 * with SIGKILL goes on on another node, which loads it from Redis with its subscriptions and the
 * topic updates published while it was away (of a key's latest values, only the newest), then
 * delivers the later ones.
 */
class TopicNodeKilledTest {
    @Test
    void aPageSubscribedOnAKilledNodeGetsEveryPublishOnceAndInOrderOnAnother() {
        try (RedisServer redis = RedisServer.start();
             NodeProcess a = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess b = NodeProcess.start(RedisNodeMain.class, redis.uri())) {
            PageClient page = subscribed(a);
            PageClient publisherOnA = publisher(a);
            PageClient publisherOnB = publisher(b);
            TopicUpdates updates = new TopicUpdates();

            publish(publisherOnA, 1, 10);
            updates.until(page, 5);
            a.kill();
            publish(publisherOnB, 11, 20); // while the page is on no node
            PageClient moved = page.at(b.port());
            updates.until(moved, 20);
            publish(publisherOnB, 21, 30); // to its copy on b
            List<String> got = updates.until(moved, 30);

            assertEquals(IntStream.rangeClosed(1, 30).mapToObj(n -> "/stocks/ACME " + n).toList(), got,
                    "every publish on its topic once, in order, and none on a topic its pattern does not match");
        }
    }

    /**
     * The latest values of five keys: 50 through a (the page gets the first of each key, then the
     * latest); a is killed; 1,000 through b, half while the page is on no node (b loads it from
     * Redis: one value per key), half while it polls b. Per key the page gets ever newer values,
     * the last one published among them, and the values it got plus those it counted as skipped
     * are all those published.
     */
    @Test
    void aPageOnAKilledNodeGetsTheLatestValuePerKeyOnAnotherWithSkippedCountsThatAddUp() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess a = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess b = NodeProcess.start(RedisNodeMain.class, redis.uri())) {
            PageClient page = subscribed(a);
            PageClient publisherOnA = publisher(a);
            PageClient publisherOnB = publisher(b);
            TopicUpdates updates = new TopicUpdates();

            publishLatest(publisherOnA, 1, 5);
            updates.until(page, 5); // version 1 of each key: the page counts skipped values from there
            publishLatest(publisherOnA, 6, 50);
            updates.poll(page, "the value 50", () -> updates.latest().stream().anyMatch(v -> v.data().equals("50")));
            a.kill();
            publishLatest(publisherOnB, 51, 550); // while the page is on no node
            PageClient moved = page.at(b.port());
            List<String> loaded = updates.apply(updates.pendingUntil(moved, "550"));
            assertEquals(List.of("/stocks/ACME 546", "/stocks/ACME 547", "/stocks/ACME 548", "/stocks/ACME 549",
                    "/stocks/ACME 550"), loaded, "loaded from Redis: the latest value of each key, in order");
            ExecutorService publishing = Executors.newSingleThreadExecutor();
            try {
                Future<?> rest = publishing.submit(() -> publishLatest(publisherOnB, 551, 1050)); // to its copy on b
                updates.poll(moved, "the last value of each key", () -> updates.latest().stream()
                        .filter(v -> Integer.parseInt(v.data()) > 1045).count() == 5);
                rest.get();
            } finally {
                publishing.shutdownNow();
            }

            Map<String, List<TopicUpdates.Latest>> byKey = updates.latest().stream()
                    .collect(Collectors.groupingBy(TopicUpdates.Latest::key));
            assertEquals(5, byKey.size());
            for (List<TopicUpdates.Latest> values : byKey.values()) {
                for (int i = 1; i < values.size(); i++) {
                    assertTrue(Integer.parseInt(values.get(i).data()) > Integer.parseInt(values.get(i - 1).data())
                            && values.get(i).version() > values.get(i - 1).version(),
                            "no older value after a newer: " + values);
                }
                assertEquals(210, values.stream().mapToLong(v -> 1 + v.skipped()).sum(),
                        "got plus skipped: the 210 values of " + values.get(0).key());
                assertEquals(210, values.get(values.size() - 1).version());
            }
        }
    }

    /** A page on {@code node} subscribed to /stocks/*. */
    private static PageClient subscribed(NodeProcess node) {
        PageClient page = new PageClient(node.port());
        page.handshake("/room/");
        assertNull(page.call("PagewireTopics", "subscribe", "/stocks/*").get("error"));
        return page;
    }

    private static PageClient publisher(NodeProcess node) {
        PageClient control = new PageClient(node.port());
        control.handshake("/control/");
        return control;
    }

    /** Publishes {@code from..to} on /stocks/ACME as the latest value of the key {@code K<n % 5>}. */
    private static void publishLatest(PageClient control, int from, int to) {
        for (int n = from; n <= to; n++) {
            JsonObject reply = control.call("Pusher", "publishLatest", "/stocks/ACME", "K" + n % 5, n);
            assertEquals(n, reply.get("result").getAsInt());
        }
    }

    /** Publishes {@code from..to} on /stocks/ACME, each followed by one on /stocks/ACME/bids (not matched). */
    private static void publish(PageClient control, int from, int to) {
        for (int n = from; n <= to; n++) {
            assertEquals(n, control.call("Pusher", "publish", "/stocks/ACME", n).get("result").getAsInt());
            control.call("Pusher", "publish", "/stocks/ACME/bids", -n);
        }
    }
}
