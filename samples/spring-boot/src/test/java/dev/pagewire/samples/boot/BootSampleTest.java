package dev.pagewire.samples.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.PageClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sample as its README run command starts it: its page, both beans, the refusal, health. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BootSampleTest {
    @LocalServerPort
    int port;

    @Test
    void aGuestPostsCountsAndMayNotClear() {
        PageClient page = new PageClient(port);
        assertEquals("comet", page.handshake("/").getAsJsonObject("delivery").get("mode").getAsString());
        assertEquals(1, page.call("Visits", "count").get("result").getAsInt());
        assertEquals(2, page.call("Visits", "count").get("result").getAsInt());
        JsonObject reply = page.batch().call("Wall", "post", "hi").send().json();
        assertTrue(reply.toString().contains("guest: hi"), reply.toString());
        assertEquals("FORBIDDEN", page.call("Wall", "clear").getAsJsonObject("error").get("code").getAsString());
    }

    @Test
    void thePageAndHealthAreServed() {
        PageClient site = new PageClient(port, "");
        assertTrue(site.get("/", Map.of()).body().contains("/pagewire/interface/Wall.js"));
        JsonObject health = JsonParser.parseString(site.get("/actuator/health", Map.of()).body()).getAsJsonObject();
        assertEquals("UP", health.getAsJsonObject("components").getAsJsonObject("pagewire").get("status").getAsString());
    }
}
