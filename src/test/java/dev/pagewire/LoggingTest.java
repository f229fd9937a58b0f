package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.LogCapture;
import dev.pagewire.testing.PageClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle logs an operator turns on at DEBUG: pages created and ended with their reason
 * ({@code dev.pagewire.push}), fallbacks and mode changes ({@code dev.pagewire.transport}), and
 * refusals with status and code ({@code dev.pagewire.web}); never a token.
 */
class LoggingTest {
    private static final String PUSH = "dev.pagewire.push";
    private static final String TRANSPORT = "dev.pagewire.transport";
    private static final String WEB = "dev.pagewire.web";

    private static PagewireServer server;
    private static Pagewire pagewire;
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private LogCapture logs;

    @BeforeAll
    static void start() {
        pagewire = Pagewire.builder().maxPagesPerHttpSession(2).maxHeldRequestsPerHttpSession(1)
                .deliveryRule("/passive-only/**", DeliveryMode.PASSIVE).build();
        server = PagewireServer.create(pagewire).start(0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void capture() {
        logs = LogCapture.start("dev.pagewire");
    }

    /** No record holds a token the test saw, and none is an error. */
    @AfterEach
    void noTokensNorErrors() {
        try {
            for (LogRecord r : logs.records()) {
                assertTrue(r.getLevel().intValue() < Level.SEVERE.intValue(), "unexpected error: " + r.getMessage());
                for (String token : tokens) {
                    assertFalse(r.getMessage().contains(token), "a token in the log: " + r.getMessage());
                }
            }
        } finally {
            logs.close();
        }
    }

    private PageClient page(PageClient browser, String path) {
        browser.handshake(path);
        tokens.add(browser.token());
        return browser;
    }

    @Test
    void aPageThatUnloadsIsLoggedCreatedAndEnded() {
        PageClient client = page(new PageClient(server.port()), "/unloads/");
        String id = client.pageId();
        logs.await(PUSH, m -> m.equals("page created: " + id + ", path /unloads/, mode passive"), "created");
        PageClient.Reply bye = client.post("/unload",
                "{\"page\":\"" + id + "\",\"token\":\"" + client.token() + "\"}", Map.of());
        assertEquals(204, bye.status());
        logs.await(PUSH, m -> m.equals("page ended: " + id + ", path /unloads/, reason UNLOADED"), "ended");
    }

    @Test
    void aPageEvictedOverThePerBrowserCapIsLoggedWithThatReason() {
        PageClient browser = new PageClient(server.port());
        String first = page(browser, "/tabs/").pageId();
        page(browser, "/tabs/");
        String third = page(browser, "/tabs/").pageId(); // past the cap of 2: the first goes
        logs.await(PUSH, m -> m.startsWith("page created: " + third), "created");
        logs.await(PUSH, m -> m.equals("page ended: " + first + ", path /tabs/, reason EVICTED_OVER_CAP"),
                "ended over the cap");
    }

    @Test
    void aRefusalIsLoggedWithItsStatusAndCode() {
        PageClient client = page(new PageClient(server.port()), "/passive-only/");
        PageClient.Reply refused = client.post("/poll", "{\"ack\":0,\"hold\":true}", client.pageHeaders());
        assertEquals("MODE_NOT_ALLOWED", refused.errorCode());
        logs.await(WEB, m -> m.startsWith("refused 403 MODE_NOT_ALLOWED: POST /pagewire/poll: comet is not allowed"),
                "refusal");
        logs.await(TRANSPORT, m -> m.startsWith("delivery mode refused: page " + client.pageId()),
                "refused mode");
    }

    @Test
    void aStreamRefusedByEventIsLoggedWithoutItsQueryString() {
        PageClient client = page(new PageClient(server.port()), "/streams/");
        PageClient.Reply refused = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                        + "/pagewire/stream?page=nosuch&token=" + client.token()))
                .header("Accept", "text/event-stream").GET().build());
        assertTrue(refused.body().startsWith("event: refused"), refused.body());
        logs.await(WEB, m -> m.equals("refused 410 PAGE_UNKNOWN: GET /pagewire/stream: no such page;"
                + " make a new handshake"), "refusal");
    }

    @Test
    void aHeldRequestPastTheCapIsLoggedAsAFallbackToPolling() throws Exception {
        PageClient browser = new PageClient(server.port());
        Map<String, String> holder = page(browser, "/held/").pageHeaders();
        String holderId = browser.pageId();
        Map<String, String> second = page(browser, "/held/").pageHeaders();
        CompletableFuture<PageClient.Reply> held =
                CompletableFuture.supplyAsync(() -> browser.post("/poll", "{\"ack\":0,\"hold\":true}", holder));
        logs.await(TRANSPORT, m -> m.equals("delivery mode changed: page " + holderId + " passive -> comet"),
                "the holder's change to comet");
        PageClient.Reply fallback = browser.post("/poll", "{\"ack\":0,\"hold\":true}", second);
        assertTrue(fallback.body().matches("\\{\"updates\":\\[],\"fallback\":\"polling\",\"time\":\\d+}"), fallback.body());
        logs.await(TRANSPORT, m -> m.equals("delivery fallback: page " + second.get("Pagewire-Page")
                + " asked for comet, its browser holds its maximum of 1 held requests; polling instead"), "fallback");
        pagewire.pages().byId(holderId).call("ui.show", 1);
        assertEquals(200, held.get(20, TimeUnit.SECONDS).status());
    }
}
