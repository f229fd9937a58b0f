package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.testing.NodeProcess;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Nodes as real processes on a real redis-server, one killed with SIGKILL while it pushes: every
 * push whose call returned reaches the pages of the other nodes once and in order.
 */
class NodeKilledTest {
    @Test
    void pushesThatReturnedBeforeThePusherWasKilledAllArriveOnceAndInOrder() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess pusher = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess survivor = NodeProcess.start(RedisNodeMain.class, redis.uri())) {
            PageClient page = new PageClient(survivor.port());
            page.handshake("/room/");
            PageClient caller = new PageClient(pusher.port());
            caller.handshake("/control/");

            ConcurrentLinkedQueue<Integer> returned = new ConcurrentLinkedQueue<>();
            Thread pushing = new Thread(() -> {
                for (int n = 1; ; n++) {
                    try {
                        JsonObject reply = caller.call("Pusher", "push", n);
                        if (!reply.has("result")) {
                            return;
                        }
                        returned.add(reply.get("result").getAsInt());
                    } catch (RuntimeException | AssertionError cut) {
                        return; // the node is gone
                    }
                }
            });
            pushing.start();
            Wait.until("50 pushes to return", 30, () -> returned.size() >= 50);
            pusher.kill();
            pushing.join(30_000);
            int last = returned.stream().mapToInt(Integer::intValue).max().orElseThrow();

            List<Integer> applied = new ArrayList<>();
            long[] lastApplied = {0};
            Wait.until("every returned push on the other node's page", 30, () -> {
                PageClient.Reply r = page.post("/poll", "{\"ack\":" + lastApplied[0] + ",\"hold\":false}",
                        page.pageHeaders());
                for (JsonElement e : r.json().getAsJsonArray("updates")) {
                    JsonObject u = e.getAsJsonObject();
                    long seq = u.get("seq").getAsLong();
                    if (seq > lastApplied[0]) {
                        assertTrue(!u.has("resync"), "no resync: " + u);
                        applied.add(u.getAsJsonArray("args").get(0).getAsInt());
                        lastApplied[0] = seq;
                    }
                }
                return applied.contains(last);
            });
            for (int i = 0; i < applied.size(); i++) {
                assertEquals(i + 1, applied.get(i), "once each, in order, none missing: " + applied);
            }
            assertTrue(applied.size() >= last, "every push whose call returned (" + last + ") arrived");
        }
    }
}
