package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.SocketClient;
import dev.pagewire.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The websocket mode on two nodes sharing one real redis-server, with no special code: a page made
 * on one node opens its socket on the other, gets pushes made on either once and in order, and
 * after a cut resumes on the first node from its cursor; two tabs of one browser share a socket on
 * the other node, each page with its own numbers.
 */
class WebSocketClusterTest {
    @Test
    void aSocketOnEitherNodeGetsEveryPushOnceInOrder() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestServer a = node(redis);
             TestServer b = node(redis)) {
            PageClient page = new PageClient(a.port());
            page.handshake("/room/");
            List<Long> applied = new ArrayList<>();
            long cursor;
            try (SocketClient socket = SocketClient.open(b.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                for (long i = 1; i <= 50; i++) {
                    a.pagewire().pages().forPath("/room/").call("ui.add", i);
                }
                cursor = readUntil(socket, 0, 50, applied);
                socket.cut();
            }
            for (long i = 51; i <= 100; i++) {
                b.pagewire().pages().forPath("/room/").call("ui.add", i);
            }
            try (SocketClient socket = SocketClient.open(a.port(), page.cookieHeader(), null)) {
                socket.hello(page, cursor);
                assertEquals("open", socket.next().get("type").getAsString());
                readUntil(socket, cursor, 100, applied);
            }
            List<Long> expected = new ArrayList<>();
            for (long i = 1; i <= 100; i++) {
                expected.add(i);
            }
            assertEquals(expected, applied, "every push once, in order, across nodes and a cut");
        }
    }

    @Test
    void twoTabsOfOneBrowserShareOneSocketOnTheOtherNode() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestServer a = node(redis);
             TestServer b = node(redis)) {
            PageClient browser = new PageClient(a.port());
            browser.handshake("/room/");
            String leaderHello = "{\"type\":\"hello\",\"page\":\"" + browser.pageId() + "\",\"token\":\""
                    + browser.token() + "\",\"ack\":0}";
            browser.handshake("/room/"); // the second tab, in the same browser (its cookies)
            String follower = browser.pageId();
            String attach = "{\"type\":\"attach\",\"page\":\"" + follower + "\",\"token\":\"" + browser.token()
                    + "\",\"ack\":0}";
            try (SocketClient socket = SocketClient.open(b.port(), browser.cookieHeader(), null)) {
                socket.send(leaderHello);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.send(attach);
                assertEquals(follower, socket.next("attached").get("page").getAsString());
                for (long i = 1; i <= 30; i++) {
                    a.pagewire().pages().forPath("/room/").call("ui.add", i);
                }
                List<Long> leaderApplied = new ArrayList<>();
                List<Long> followerApplied = new ArrayList<>();
                long[] last = new long[2];
                while (leaderApplied.size() < 30 || followerApplied.size() < 30) {
                    JsonObject frame = socket.next("updates");
                    boolean carried = frame.has("page");
                    assertTrue(!carried || frame.get("page").getAsString().equals(follower), frame.toString());
                    for (JsonElement e : frame.getAsJsonArray("updates")) {
                        long seq = e.getAsJsonObject().get("seq").getAsLong();
                        assertTrue(seq > last[carried ? 1 : 0], "each page's numbers increase: " + frame);
                        last[carried ? 1 : 0] = seq;
                        (carried ? followerApplied : leaderApplied).add(e.getAsJsonObject().getAsJsonArray("args").get(0).getAsLong());
                    }
                }
                List<Long> expected = new ArrayList<>();
                for (long i = 1; i <= 30; i++) {
                    expected.add(i);
                }
                assertEquals(expected, leaderApplied);
                assertEquals(expected, followerApplied, "the carried page's pushes once, in order");
            }
        }
    }

    private static TestServer node(RedisServer redis) {
        return TestServer.start(Pagewire.builder().expose(new Ping()).deliveryMode(DeliveryMode.WEBSOCKET)
                .backend(RedisBackend.create(redis.uri())));
    }

    /**
     * Applies updates as the engine does (numbers increase but skip, each applied once) until
     * {@code count} pushes are applied; returns the cursor.
     */
    private static long readUntil(SocketClient socket, long cursor, int count, List<Long> applied)
            throws InterruptedException {
        long last = cursor;
        while (applied.size() < count) {
            JsonObject frame = socket.next("updates");
            for (JsonElement e : frame.getAsJsonArray("updates")) {
                long seq = e.getAsJsonObject().get("seq").getAsLong();
                assertTrue(seq > last, "numbers increase: " + frame);
                last = seq;
                applied.add(e.getAsJsonObject().getAsJsonArray("args").get(0).getAsLong());
            }
        }
        return last;
    }
}
