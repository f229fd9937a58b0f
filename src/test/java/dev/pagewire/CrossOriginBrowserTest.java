package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page served by one origin (a static server on one port) that uses Pagewire on another (a
 * second port, which lists the first in allowOrigins): it loads the engine and a proxy from there,
 * calls, and receives pushes in every held mode, with its cookies going along (CORS with
 * credentials), in real Chromium.
 */
class CrossOriginBrowserTest {
    @TempDir
    static Path web;
    private static PagewireServer site;
    private static PagewireServer api;
    private static Pagewire pagewire;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        site = PagewireServer.create(Pagewire.builder().expose(new Ping()).build()).staticFiles(web).start(0);
        String siteOrigin = "http://localhost:" + site.port();
        Pagewire.Builder builder = Pagewire.builder().expose(new Ping()).allowOrigins(siteOrigin);
        for (DeliveryMode mode : List.of(DeliveryMode.COMET, DeliveryMode.SSE, DeliveryMode.WEBSOCKET)) {
            builder.deliveryRule("/cross/" + mode.wireName() + "/**", mode);
        }
        pagewire = builder.build();
        api = PagewireServer.create(pagewire).start(0);
        String apiBase = "http://localhost:" + api.port() + "/pagewire";
        for (DeliveryMode mode : List.of(DeliveryMode.COMET, DeliveryMode.SSE, DeliveryMode.WEBSOCKET)) {
            Path folder = Files.createDirectories(web.resolve("cross/" + mode.wireName()));
            Files.writeString(folder.resolve("index.html"), """
                    <!doctype html>
                    <html lang="en"><head><meta charset="utf-8"><title>cross-origin</title>
                    <link rel="icon" href="data:,">
                    <script src="%1$s/engine.js"></script>
                    <script src="%1$s/interface/Ping.js"></script>
                    </head><body><script>
                      window.received = [];
                      pagewire.expose('ui', { show(value) { received.push(value); } });
                    </script></body></html>
                    """.formatted(apiBase));
        }
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        api.stop();
        site.stop();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"COMET", "SSE", "WEBSOCKET"})
    void aPageOfAnotherOriginCallsAndReceivesPushes(DeliveryMode mode) {
        browser.driver().get("http://localhost:" + site.port() + "/cross/" + mode.wireName() + "/");
        String id = (String) browser.await("return await pagewire.ready;");
        assertEquals(mode.wireName(), browser.js("return pagewire.mode;"));
        assertEquals("pong", browser.await("return await Ping.ping();"), "a call across origins");
        var page = pagewire.pageRegistry.find(id);
        Wait.until("the page's held " + mode.wireName() + " connection", 10, () -> page.queue().waiter() != null);
        pagewire.pages().forPath("/cross/" + mode.wireName() + "/").call("ui.show", "hello " + mode.wireName());
        Wait.until("the push across origins", 15, () -> List.of("hello " + mode.wireName()).equals(browser.js("return window.received;")));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
