package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server restarts while a page is open: the page reconnects, learns its page is gone,
 * makes a new one, fires {@code resync}, and receives pushes again. Once per active mode.
 */
class ServerRestartBrowserTest {
    public static class Probe {
        public String ping() {
            return "pong";
        }
    }

    @TempDir
    Path web;

    private PagewireServer start(int port, DeliveryMode mode) {
        Pagewire pagewire = Pagewire.builder().expose(new Probe()).deliveryMode(mode)
                .pollInterval(java.time.Duration.ofMillis(200)).build();
        return PagewireServer.create(pagewire).staticFiles(web).start(port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"POLLING", "COMET", "SSE", "WEBSOCKET"})
    void pagesComeBackAfterARestartAndResync(DeliveryMode mode) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/push-web/index.html")) {
            Files.write(web.resolve("index.html"), in.readAllBytes());
        }
        int port = freePort();
        PagewireServer first = start(port, mode);
        try (Browser browser = new Browser()) {
            browser.driver().get("http://localhost:" + port + "/");
            String before = (String) browser.await("return await pagewire.ready;");
            first.stop();
            PagewireServer second = start(port, mode);
            try {
                Wait.until("a new page after the restart", 40, () -> {
                    Object id = browser.js("return pagewire.pageId;");
                    return id != null && !id.equals(before);
                });
                List<?> events = (List<?>) browser.js("return window.events;");
                assertTrue(events.contains("resync:lost"), String.valueOf(events));
                String after = (String) browser.js("return pagewire.pageId;");
                assertNotEquals(before, after);
                Pagewire pagewire = second.pagewire();
                Wait.until("the page receiving again", 20, () -> {
                    pagewire.pages().byId(after).call("ui.show", "back");
                    return ((List<?>) browser.js("return window.received;")).contains("back");
                });
                browser.consoleErrors(); // connection errors while the server was down are expected
                browser.driver().get("about:blank");
            } finally {
                second.stop();
            }
        }
    }
}
