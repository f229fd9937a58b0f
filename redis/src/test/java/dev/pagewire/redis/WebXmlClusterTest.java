package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import dev.pagewire.testing.WebXmlApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two web applications that declare Pagewire in {@code web.xml} with the init-param {@code
 * backend} set to a real redis-server's URI: no code, and they are two nodes of one cluster.
 */
class WebXmlClusterTest {
    @Test
    void theInitParamBackendMakesEachWebApplicationANodeOfOneCluster(@TempDir Path dirA, @TempDir Path dirB) {
        try (RedisServer redis = RedisServer.start();
             WebXmlApp a = WebXmlApp.deploy(dirA, Map.of("classes", RedisNodeMain.Pusher.class.getName(), "backend", redis.uri()));
             WebXmlApp b = WebXmlApp.deploy(dirB, Map.of("classes", RedisNodeMain.Pusher.class.getName(), "backend", redis.uri()))) {
            PageClient page = a.client();
            page.handshake("/app/room/");
            PageClient pusher = b.client();
            pusher.handshake("/app/control/");
            assertEquals(7, pusher.call("Pusher", "push", 7).get("result").getAsInt());
            List<Integer> got = new ArrayList<>();
            Wait.until("the push made on the other application", 10, () -> {
                PageClient.Reply r = page.post("/poll", "{\"ack\":0}", page.pageHeaders());
                for (JsonElement e : r.json().getAsJsonArray("updates")) {
                    JsonObject u = e.getAsJsonObject();
                    got.add(u.getAsJsonArray("args").get(0).getAsInt());
                }
                return !got.isEmpty();
            });
            assertEquals(7, got.get(0));
        }
    }
}
