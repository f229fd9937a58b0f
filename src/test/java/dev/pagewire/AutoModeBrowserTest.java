package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.MeddlingProxy;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default choice, {@code auto}, in real Chromium behind a {@link MeddlingProxy}: a proxy that
 * refuses WebSocket upgrades and buffers SSE moves the page down to Comet within the documented
 * time (at once, then {@code sseHeartbeat} + 10 s), the tab remembers it across a reload, and the
 * page moves back up once the proxy passes everything; at the held-request cap a second tab polls
 * and moves up when the first tab's slot frees. Pushes reach the page once and in order
 * throughout. Each test has a proxy of its own, so a fresh origin (and sessionStorage).
 */
class AutoModeBrowserTest {
    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Browser browser;
    private final List<Long> expected = new ArrayList<>();
    private long next = 1;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = AutoModeBrowserTest.class.getResourceAsStream("/push-web/auto.html")) {
            Files.write(web.resolve("auto.html"), in.readAllBytes());
        }
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe())
                .sseHeartbeat(Duration.ofSeconds(1)).build(); // auto is the default
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        browser = new Browser();
    }

    @AfterEach
    void blank() {
        browser.leaveOneBlankWindow();
    }

    @Test
    void refusedUpgradesAndABufferingProxyMoveThePageDownAndBackUp() {
        try (MeddlingProxy proxy = MeddlingProxy.start(server.port()).refuseWebSockets(true).bufferEventStreams(true)) {
            String id = open(proxy);
            Wait.until("the page in sse (the upgrade refused)", 20, () -> "sse".equals(mode()));
            pushTo(pagewire, id, 20); // held in the proxy's buffer, then brought by the next mode
            Wait.until("the page in comet (the stream silent)", 30, () -> "comet".equals(mode()));
            assertEquals(List.of("websocket:auto", "sse:failed", "comet:silent"), browser.js("return window.modes.slice(0, 3);"));
            assertTrue(proxy.upgradesRefused() >= 1 && proxy.streamsBuffered() >= 1);
            pushTo(pagewire, id, 100);
            awaitReceived();

            // A reload in the tab starts below the failed modes: no upgrade, no stream tried.
            int refused = proxy.upgradesRefused();
            int buffered = proxy.streamsBuffered();
            expected.clear();
            next = 1;
            String reloaded = open(proxy);
            Wait.until("the reloaded page in comet", 20, () -> "comet".equals(mode()));
            assertEquals(List.of("comet:auto"), browser.js("return window.modes.slice(0, 1);"));
            pushTo(pagewire, reloaded, 50);
            awaitReceived();
            assertEquals(refused, proxy.upgradesRefused(), "no upgrade tried after the reload");
            assertEquals(buffered, proxy.streamsBuffered(), "no stream tried after the reload");

            proxy.refuseWebSockets(false).bufferEventStreams(false);
            Wait.until("the page back on websocket", 120, () -> "websocket".equals(mode()));
            pushTo(pagewire, reloaded, 100);
            awaitReceived();
            assertTrue((Boolean) browser.js("return window.modes.includes('websocket:upgrade');"));
        }
    }

    @Test
    void aTabPastTheHeldRequestCapPollsAndMovesUpWhenASlotFrees() throws Exception {
        Pagewire capped = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe()).maxHeldRequestsPerHttpSession(1)
                .allowDeliveryModes(DeliveryMode.PASSIVE, DeliveryMode.POLLING, DeliveryMode.COMET, DeliveryMode.SSE)
                .pollInterval(Duration.ofMillis(500)).build();
        PagewireServer cappedServer = PagewireServer.create(capped).staticFiles(web).start(0);
        try (MeddlingProxy proxy = MeddlingProxy.start(cappedServer.port())) {
            open(proxy);
            Wait.until("the first tab in sse", 20, () -> "sse".equals(mode()));
            String first = browser.driver().getWindowHandle();
            browser.js("window.open('/auto.html')");
            String second = browser.driver().getWindowHandles().stream().filter(h -> !h.equals(first)).findFirst().orElseThrow();
            browser.driver().switchTo().window(second);
            Wait.until("the second tab polling (the cap)", 20, () -> "polling".equals(mode()));
            assertTrue((Boolean) browser.js("return window.modes.includes('polling:fallback');"));
            String id = (String) browser.await("return await pagewire.ready;");

            browser.driver().switchTo().window(first).close(); // its page unloads: the slot frees
            browser.driver().switchTo().window(second);
            Wait.until("the second tab up in sse", 40, () -> "sse".equals(mode()));
            assertTrue((Boolean) browser.js("return window.modes.includes('sse:upgrade');"));
            pushTo(capped, id, 50);
            awaitReceived();
        } finally {
            cappedServer.stop();
            capped.close();
        }
    }

    /** Loads the page through the proxy; returns its page id. */
    private static String open(MeddlingProxy proxy) {
        browser.driver().get("http://localhost:" + proxy.port() + "/auto.html");
        return (String) browser.await("return await pagewire.ready;");
    }

    private static Object mode() {
        return browser.js("return pagewire.mode;");
    }

    private void pushTo(Pagewire to, String id, int count) {
        for (int i = 0; i < count; i++) {
            to.pages().byId(id).call("ui.show", next);
            expected.add(next++);
        }
    }

    private void awaitReceived() {
        Wait.until(expected.size() + " pushes applied", 60,
                () -> ((Number) browser.js("return window.received.length;")).intValue() >= expected.size());
        assertEquals(expected, browser.js("return window.received;"), "each push once, in order: " + browser.js("return window.modes;"));
    }
}
