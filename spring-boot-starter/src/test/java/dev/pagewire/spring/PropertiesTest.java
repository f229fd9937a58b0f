package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.PageClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** {@code pagewire.*} properties change what they name, seen over real HTTP. */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pagewire.path=/rpc", "pagewire.max-calls-per-batch=2", "pagewire.debug=true",
                "pagewire.delivery-mode=polling", "pagewire.poll-interval=2s",
                "pagewire.delivery-rules[0].pattern=/live/**", "pagewire.delivery-rules[0].mode=sse"})
class PropertiesTest {
    @LocalServerPort
    int port;

    @Test
    void pathMovesTheServlet() {
        assertEquals(200, new PageClient(port, "/rpc").get("/engine.js", Map.of()).status());
        assertEquals(404, new PageClient(port, "/pagewire").get("/engine.js", Map.of()).status());
    }

    @Test
    void debugServesTheDebugPage() {
        PageClient.Reply debugPage = new PageClient(port, "/rpc").get("/", Map.of());
        assertEquals(200, debugPage.status());
        assertEquals(true, debugPage.body().contains("Basket"));
    }

    @Test
    void maxCallsPerBatchRefusesLargerBatches() {
        PageClient client = new PageClient(port, "/rpc");
        JsonObject handshake = client.handshake("/board/");
        assertEquals(2, handshake.getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
        assertEquals(200, client.batch().call("Basket", "add", "a").call("Basket", "add", "b").send().status());
        PageClient.Reply three = client.batch().call("Basket", "add", "a").call("Basket", "add", "b")
                .call("Basket", "add", "c").send();
        assertEquals(400, three.status(), three.body());
    }

    @Test
    void deliveryModeAndRulesChooseHowPagesReceive() {
        PageClient client = new PageClient(port, "/rpc");
        JsonObject delivery = client.handshake("/board/").getAsJsonObject("delivery");
        assertEquals("polling", delivery.get("mode").getAsString());
        assertEquals(2000, delivery.get("pollMillis").getAsInt());
        assertEquals("sse", client.handshake("/live/prices").getAsJsonObject("delivery").get("mode").getAsString());
    }
}
