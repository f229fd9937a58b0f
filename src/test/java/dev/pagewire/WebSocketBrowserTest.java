package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.Waiter;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine in websocket mode in real Chromium: 1,000 pushes while the TCP connections are cut
 * a few times mid-stream (a {@link Balancer} in front of the server), each applied once and in
 * order; calls answered over the socket before and after.
 */
class WebSocketBrowserTest {
    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Balancer balancer;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        try (InputStream in = WebSocketBrowserTest.class.getResourceAsStream("/push-web/index.html")) {
            Files.createDirectories(web.resolve("push"));
            Files.write(web.resolve("push/index.html"), in.readAllBytes());
        }
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe())
                .deliveryMode(DeliveryMode.WEBSOCKET).maxQueuedUpdates(2000).build();
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        balancer = Balancer.start(server.port());
        browser = new Browser();
    }

    @Test
    void aThousandPushesWithSocketCutsAreAppliedOnceInOrder() {
        browser.driver().get("http://localhost:" + balancer.port() + "/push/");
        String id = (String) browser.await("return await pagewire.ready;");
        assertEquals("websocket", browser.js("return pagewire.mode;"));
        LivePage page = pagewire.pageRegistry.find(id);
        Wait.until("the page's socket", 10, () -> page.queue().waiter() != null);
        assertEquals("pong", browser.await("return await Probe.ping();"), "a call over the socket");

        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            pagewire.pages().byId(id).call("ui.show", i);
            expected.add(i);
            if (i % 250 == 125) {
                Waiter cut = page.queue().waiter();
                balancer.cutAll(); // mid-stream: frames are in flight
                Wait.until("a new socket after the cut", 60, () -> {
                    Waiter now = page.queue().waiter();
                    return now != null && now != cut;
                });
            }
        }
        Wait.until("1,000 pushes applied", 60, () -> ((Number) browser.js("return window.received.length;")).intValue() >= 1000);
        assertEquals(expected, browser.js("return window.received;"), "each push once, in order");
        assertEquals("pong", browser.await("return await Probe.ping();"), "calls after the cuts");
        assertEquals(4L, browser.js("return window.events.filter((e) => e === 'disconnect:NETWORK').length;"),
                "each cut lost the connection once: " + browser.js("return window.events;"));
        browser.driver().get("about:blank");
    }
}
