package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.Pagewire;
import dev.pagewire.PushFailedException;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Pagewire nodes on one real redis-server: a push on either node reaches the pages of both,
 * in one order.
 */
class RedisBackendTest {
    private RedisServer redis;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        a = TestServer.start(Pagewire.builder().expose(new Ping()).backend(RedisBackend.create(redis.uri())));
        b = TestServer.start(Pagewire.builder().expose(new Ping()).backend(RedisBackend.create(redis.uri())));
    }

    @AfterEach
    void stop() {
        try (RedisServer r = redis; TestServer second = b; TestServer first = a) {
            // closed in reverse order: the nodes, then Redis
        }
    }

    /** A page as the engine is: polls, applies each update once and in order, acknowledges. */
    private static final class Polling {
        final PageClient client;
        final List<String> applied = new ArrayList<>();
        long lastApplied;
        boolean expectResync;
        int resyncs;

        Polling(TestServer node, String path) {
            client = node.page(path);
        }

        List<String> poll() {
            PageClient.Reply r = client.post("/poll", "{\"ack\":" + lastApplied + ",\"hold\":false}", client.pageHeaders());
            assertEquals(200, r.status(), r.body());
            JsonArray updates = r.json().getAsJsonArray("updates");
            for (JsonElement e : updates) {
                JsonObject u = e.getAsJsonObject();
                long seq = u.get("seq").getAsLong();
                if (seq > lastApplied) {
                    lastApplied = seq;
                    if (u.has("resync")) {
                        assertTrue(expectResync, "no resync expected: " + u);
                        resyncs++;
                    } else {
                        applied.add(u.getAsJsonArray("args").get(0).getAsString());
                    }
                }
            }
            return applied;
        }

        void awaitApplied(int n) {
            Wait.until(n + " updates on " + client.pageId(), 20, () -> poll().size() >= n);
        }
    }

    @Test
    void aPushOnEitherNodeReachesThePagesOfBothInOneOrder() {
        Polling onA = new Polling(a, "/room/");
        Polling onB = new Polling(b, "/room/");
        Polling elsewhere = new Polling(b, "/lobby/");
        a.pagewire().pages().all().call("ui.show", "all from a");
        b.pagewire().pages().forPath("/room/").call("ui.show", "room from b");
        a.pagewire().pages().byId(onB.client.pageId()).call("ui.show", "to the page on b, from a");
        b.pagewire().pages().forPath("/room/index.html").call("ui.show", "room again from b");

        onA.awaitApplied(3);
        onB.awaitApplied(4);
        elsewhere.awaitApplied(1);
        assertEquals(List.of("all from a", "room from b", "room again from b"), onA.applied);
        assertEquals(List.of("all from a", "room from b", "to the page on b, from a", "room again from b"), onB.applied);
        assertEquals(List.of("all from a"), elsewhere.applied);
    }

    @Test
    void concurrentPushesFromBothNodesArriveInTheSameOrderOnEveryPage() throws Exception {
        Polling onA = new Polling(a, "/room/");
        Polling onB = new Polling(b, "/room/");
        Thread fromA = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                a.pagewire().pages().all().call("ui.show", "a" + i);
            }
        });
        Thread fromB = new Thread(() -> {
            for (int i = 0; i < 50; i++) {
                b.pagewire().pages().forPath("/room/").call("ui.show", "b" + i);
            }
        });
        fromA.start();
        fromB.start();
        fromA.join(30_000);
        fromB.join(30_000);
        onA.awaitApplied(100);
        onB.awaitApplied(100);
        assertEquals(onA.applied, onB.applied, "one global order");
        List<String> fromAOnly = onA.applied.stream().filter(s -> s.startsWith("a")).toList();
        assertEquals(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "a" + i).toList(), fromAOnly,
                "each node's pushes keep their call order");
    }

    @Test
    void withRedisDownAPushFailsAtOnceWithAClearExceptionAndCallsStillWork() {
        Polling onA = new Polling(a, "/room/");
        redis.kill();
        PushFailedException e = assertThrows(PushFailedException.class,
                () -> a.pagewire().pages().all().call("ui.show", "lost"));
        assertTrue(e.getMessage().startsWith("push not sent"), e.getMessage());
        assertEquals("pong", onA.client.call("Ping", "ping").get("result").getAsString(),
                "calls that push nothing keep working");
        redis.restart();
        pushOnceRedisTakesIt(a, "back");
        onA.awaitApplied(1);
        assertEquals("back", onA.applied.get(onA.applied.size() - 1));
        assertTrue(onA.applied.stream().noneMatch("lost"::equals), "a failed push is never delivered");
    }

    /**
     * Redis restarted empty lost every page: each page's next request gets 410 PAGE_UNKNOWN (on
     * which the engine makes a new handshake and fires resync), and new pages get pushes again.
     */
    @Test
    void anEmptiedRedisSendsEveryPageToANewHandshakeAndPushesGoOn() {
        Polling onA = new Polling(a, "/room/");
        Polling onB = new Polling(b, "/room/");
        a.pagewire().pages().all().call("ui.show", "before");
        onA.awaitApplied(1);
        onB.awaitApplied(1);
        redis.restartEmpty();
        pushOnceRedisTakesIt(b, "lost with Redis's data");
        for (Polling page : List.of(onA, onB)) {
            Wait.until("410 for a page Redis lost", 20, () -> {
                PageClient.Reply r = page.client.post("/poll", "{\"ack\":" + page.lastApplied + ",\"hold\":false}",
                        page.client.pageHeaders());
                return r.status() == 410 && "PAGE_UNKNOWN".equals(r.errorCode());
            });
        }
        Polling again = new Polling(a, "/room/");
        b.pagewire().pages().all().call("ui.show", "after");
        again.awaitApplied(1);
        assertEquals(List.of("after"), again.applied);
    }

    /** Pushes {@code text} to every page from {@code node}, again and again until Redis is back and takes it. */
    private static void pushOnceRedisTakesIt(TestServer node, String text) {
        Wait.until("a push after Redis's restart", 20, () -> {
            try {
                node.pagewire().pages().all().call("ui.show", text);
                return true;
            } catch (PushFailedException notYet) {
                return false;
            }
        });
    }

    @Test
    void onlyOneRedisWriteForABroadcastWhateverTheNumberOfPages() {
        for (int i = 0; i < 20; i++) {
            new Polling(i % 2 == 0 ? a : b, "/room/");
        }
        redis.command("CONFIG", "RESETSTAT");
        a.pagewire().pages().all().call("ui.show", "x");
        String stats = redis.command("INFO", "commandstats");
        assertTrue(stats.contains("cmdstat_fcall:calls=1,"), stats);
    }
}
