package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.PageClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter with its defaults, over real HTTP: the exposed beans and their scopes, Spring
 * Security's users and roles feeding {@code @Roles}, the injectable beans, and Actuator.
 */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"})
class StarterTest {
    @LocalServerPort
    int port;

    @Autowired
    Pagewire pagewire;

    @Autowired
    Pages pages;

    private PageClient page() {
        PageClient client = new PageClient(port);
        client.handshake("/board/");
        return client;
    }

    private static Map<String, String> basicAuth(PageClient client, String user, String password) {
        Map<String, String> headers = new HashMap<>(client.pageHeaders());
        headers.put("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static JsonObject callAs(PageClient client, String user, String password, String proxy, String method,
                                     Object... args) {
        String body = client.batch().call(proxy, method, args).body();
        return client.post("/call", body, basicAuth(client, user, password)).reply(0);
    }

    @Test
    void everyRemoteProxyBeanIsExposedAtTheDefaultPath() {
        assertEquals(List.of("Basket", "Board", "Receipt"), pagewire.proxyNames());
        PageClient client = new PageClient(port);
        assertEquals(200, client.get("/engine.js", Map.of()).status());
        assertEquals(200, client.get("/interface/Basket.js", Map.of()).status());
        assertEquals(404, client.get("/", Map.of()).status(), "the debug page is off by default");
    }

    @Test
    void aSessionScopedBeanIsOnePerHttpSession() {
        PageClient firstTab = page();
        assertEquals(1, firstTab.call("Basket", "add", "apple").get("result").getAsInt());
        assertEquals(2, firstTab.call("Basket", "add", "pear").get("result").getAsInt());
        firstTab.handshake("/board/"); // a second page of the same browser: same HTTP session
        assertEquals(3, firstTab.call("Basket", "add", "plum").get("result").getAsInt());

        PageClient otherBrowser = page();
        assertEquals(1, otherBrowser.call("Basket", "add", "fig").get("result").getAsInt());
    }

    @Test
    void rolesComeFromSpringSecurity() {
        PageClient client = page();
        assertEquals("FORBIDDEN", client.call("Board", "clear").getAsJsonObject("error").get("code").getAsString(),
                "anonymous");
        assertEquals("FORBIDDEN", callAs(client, "bob", "bob-secret", "Board", "clear")
                .getAsJsonObject("error").get("code").getAsString(), "bob has only the role USER");
        JsonObject post = callAs(client, "ann", "ann-secret", "Board", "post", "hello");
        assertTrue(post.has("result"), post.toString());
        JsonObject cleared = callAs(client, "ann", "ann-secret", "Board", "clear");
        assertTrue(cleared.get("result").getAsInt() >= 1, "ann has the role ADMIN: " + cleared);
    }

    @Test
    void thePrincipalIsSpringSecuritysUser() {
        PageClient client = page();
        client.post("/call", client.batch().call("Board", "post", "signed").body(), basicAuth(client, "bob", "bob-secret"));
        JsonObject reply = client.batch().call("Basket", "add", "x").send().json();
        assertTrue(reply.toString().contains("bob: signed"), "the push names the caller: " + reply);
    }

    @Test
    void theInjectedPagesPushToPages() {
        PageClient client = page();
        pages.forPath("/board/").call("board.show", "from a bean");
        JsonObject reply = client.batch().call("Basket", "add", "x").send().json();
        assertTrue(reply.getAsJsonArray("updates").toString().contains("from a bean"), reply.toString());
    }

    @Test
    void actuatorShowsPagewireHealthAndMetrics() {
        page();
        PageClient http = new PageClient(port, "/actuator");
        JsonObject health = JsonParser.parseString(http.get("/health", Map.of()).body()).getAsJsonObject();
        JsonObject component = health.getAsJsonObject("components").getAsJsonObject("pagewire");
        assertEquals("UP", component.get("status").getAsString());
        assertTrue(component.getAsJsonObject("details").get("livePages").getAsInt() >= 1, health.toString());
        assertTrue(component.getAsJsonObject("details").has("heldRequests"), health.toString());

        JsonObject live = JsonParser.parseString(http.get("/metrics/pagewire.pages", Map.of()).body()).getAsJsonObject();
        assertTrue(live.getAsJsonArray("measurements").get(0).getAsJsonObject().get("value").getAsDouble() >= 1,
                live.toString());
        assertEquals(200, http.get("/metrics/pagewire.held.requests", Map.of()).status());
        JsonObject calls = JsonParser.parseString(http.get("/metrics/pagewire.calls", Map.of()).body()).getAsJsonObject();
        assertTrue(calls.toString().contains("\"proxy\""), "call timers tagged by proxy, method and outcome: " + calls);
    }
}
