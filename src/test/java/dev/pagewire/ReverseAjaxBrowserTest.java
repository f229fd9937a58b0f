package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.push.LivePage;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.WindowType;

/** Pushes to real Chromium pages, once per delivery mode, against a real server. */
class ReverseAjaxBrowserTest {
    public static class Probe {
        public String ping() {
            return "pong";
        }
    }

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static Served server;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        // The same probe page at /push/<mode>/, and each path advised its mode by a rule that lets
        // the page switch to any other.
        byte[] page;
        try (InputStream in = ReverseAjaxBrowserTest.class.getResourceAsStream("/push-web/index.html")) {
            page = in.readAllBytes();
        }
        Pagewire.Builder builder = Pagewire.builder().expose(new Probe())
                .pollInterval(Duration.ofMillis(200)).maxQueuedUpdates(20);
        for (DeliveryMode mode : DeliveryMode.values()) {
            Files.createDirectories(web.resolve("push/" + mode.wireName()));
            Files.write(web.resolve("push/" + mode.wireName() + "/index.html"), page);
            builder.deliveryRule("/push/" + mode.wireName() + "/**", mode, DeliveryMode.values());
        }
        pagewire = builder.build();
        server = Served.start(pagewire, web);
        browser = new Browser();
    }

    @AfterEach
    void oneTabNoErrors() {
        var handles = List.copyOf(browser.driver().getWindowHandles());
        for (int i = 1; i < handles.size(); i++) {
            browser.driver().switchTo().window(handles.get(i)).close();
        }
        browser.driver().switchTo().window(handles.get(0));
        assertEquals(List.of(), browser.consoleErrors());
    }

    private String url(DeliveryMode mode) {
        return "http://localhost:" + server.port() + "/push/" + mode.wireName() + "/";
    }

    /**
     * Opens the probe page in the current tab; returns its page id once it is receiving. Under
     * {@code auto} the page uses the best mode, websocket, as nothing in between refuses it.
     */
    private String open(String url, DeliveryMode advised) {
        browser.driver().get(url);
        String id = (String) browser.await("return await pagewire.ready;");
        DeliveryMode expected = advised == DeliveryMode.AUTO ? DeliveryMode.WEBSOCKET : advised;
        assertEquals(expected.wireName(), browser.js("return pagewire.mode;"));
        LivePage session = pagewire.pageRegistry.find(id);
        if (expected == DeliveryMode.COMET || expected == DeliveryMode.SSE || expected == DeliveryMode.WEBSOCKET) {
            Wait.until("the page's held request", 10, () -> session.queue().waiter() != null);
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    private List<Object> received() {
        return (List<Object>) browser.js("return window.received;");
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void aPushReachesBothPagesOnThePath(DeliveryMode mode) {
        String first = browser.driver().getWindowHandle();
        open(url(mode), mode);
        browser.driver().switchTo().newWindow(WindowType.TAB);
        String second = browser.driver().getWindowHandle();
        open(url(mode), mode);

        pagewire.pages().forPath("/push/" + mode.wireName() + "/").call("ui.show", "hello " + mode);

        if (mode == DeliveryMode.PASSIVE) {
            // Nothing travels until the page makes a call: then it rides on the reply.
            assertEquals(List.of(), received());
            assertEquals("pong", browser.await("return await Probe.ping();"));
            assertEquals(List.of("hello " + mode), received(), "applied before the call's promise resolved");
            browser.driver().switchTo().window(first);
            assertEquals(List.of(), received(), "the other passive page has made no call yet");
            browser.await("return await Probe.ping();");
            assertEquals(List.of("hello " + mode), received());
        } else {
            for (String tab : List.of(second, first)) {
                browser.driver().switchTo().window(tab);
                Wait.until("the push in " + mode, 15, () -> received().equals(List.of("hello " + mode)));
            }
        }
    }

    @Test
    void aPushToAFunctionThePageDidNotExposeIsReportedToTheServer() {
        String id = open(url(DeliveryMode.SSE), DeliveryMode.SSE);
        browser.js("window.errors = []; pagewire.on('error', (e) => window.errors.push(e.code));");
        long before = pagewire.metrics().unexposedCalls();
        pagewire.pages().byId(id).call("ui.missing", 1);
        pagewire.pages().byId(id).call("ui.missing", 2);
        pagewire.pages().byId(id).call("ui.show", 3);
        Wait.until("the push after them", 15, () -> received().equals(List.of(3L)));
        assertEquals(List.of("UNKNOWN_FUNCTION", "UNKNOWN_FUNCTION"), browser.js("return window.errors;"));
        Wait.until("the page's report", 15, () -> pagewire.metrics().unexposedCalls() > before);
        assertTrue(pagewire.metrics().unexposedFunctions().contains("ui.missing"));
    }

    @Test
    void pageSwitchesModeFromJavaScript() {
        String id = open(url(DeliveryMode.PASSIVE), DeliveryMode.PASSIVE);
        browser.js("pagewire.reverseAjax('sse');");
        assertEquals("sse", browser.js("return pagewire.mode;"));
        Wait.until("the stream", 10, () -> pagewire.pageRegistry.find(id).queue().waiter() != null);
        pagewire.pages().byId(id).call("ui.show", 1);
        Wait.until("a push without a call", 10, () -> received().equals(List.of(1L)));

        browser.js("pagewire.setActiveReverseAjax(false);");
        assertEquals("passive", browser.js("return pagewire.mode;"));
        pagewire.pages().byId(id).call("ui.show", 2);
        assertEquals(List.of(1L), received(), "passive again: nothing arrives on its own");
        browser.await("return await Probe.ping();");
        assertEquals(List.of(1L, 2L), received(), "it rides on the call's reply");

        browser.js("pagewire.setActiveReverseAjax(true);");
        assertTrue(List.of("comet", "sse", "polling").contains(browser.js("return pagewire.mode;")));
        pagewire.pages().byId(id).call("ui.show", 3);
        Wait.until("a push in the active mode", 10, () -> received().equals(List.of(1L, 2L, 3L)));
    }

    @Test
    void aPassivePageThatMakesNoCallOutlivesTheFirstContactTimeout() {
        try (Pagewire strict = Pagewire.builder().expose(new Probe()).firstContactTimeout(Duration.ofMillis(500)).build()) {
            Served other = Served.start(strict, web);
            try {
                browser.driver().get("http://localhost:" + other.port() + "/push/passive/");
                String id = (String) browser.await("return await pagewire.ready;");
                PageClient silent = new PageClient(other.port());
                silent.handshake("/silent/"); // made after the page's, never heard from again
                Wait.until("the silent page to end", 10, () -> strict.pageRegistry.find(silent.pageId()) == null);
                assertTrue(strict.pageRegistry.find(id) != null, "the engine confirmed its passive page");
                strict.pages().byId(id).call("ui.show", "later");
                browser.await("return await Probe.ping();");
                assertEquals(List.of("later"), received(), "the same session, so nothing to resync");
            } finally {
                browser.driver().get("about:blank");
                other.stop();
            }
        }
    }

    @Test
    void modesTheServerDoesNotAllowAreRefusedInThePage() {
        try (Pagewire limited = Pagewire.builder().expose(new Probe()).deliveryMode(DeliveryMode.PASSIVE)
                .allowDeliveryModes(DeliveryMode.PASSIVE, DeliveryMode.POLLING).pollInterval(Duration.ofMillis(200)).build()) {
            Served other = Served.start(limited, web);
            try {
                browser.driver().get("http://localhost:" + other.port() + "/push/passive/");
                String id = (String) browser.await("return await pagewire.ready;");
                assertEquals(Map.of("code", "MODE_NOT_ALLOWED", "mode", "passive"), browser.js(
                        "try { pagewire.reverseAjax('sse'); return {code: 'accepted'}; }"
                                + " catch (e) { return {code: e.code, mode: pagewire.mode}; }"));
                browser.js("pagewire.setActiveReverseAjax(true);");
                assertEquals("polling", browser.js("return pagewire.mode;"), "the only active mode allowed");
                limited.pages().byId(id).call("ui.show", "polled");
                Wait.until("the polled push", 10, () -> received().equals(List.of("polled")));
            } finally {
                browser.driver().get("about:blank"); // leave before the server goes, or the page reports it
                other.stop();
            }
        }
    }

    @Test
    void aThirdCometTabOfOneBrowserFallsBackToPollingAndStillReceives() {
        List<String> tabs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                browser.driver().switchTo().newWindow(WindowType.TAB);
            }
            browser.driver().get(url(DeliveryMode.COMET));
            browser.await("return await pagewire.ready;");
            tabs.add(browser.driver().getWindowHandle());
            if (i < 2) {
                String id = (String) browser.js("return pagewire.pageId;");
                Wait.until("tab " + i + "'s held poll", 10, () -> pagewire.pageRegistry.find(id).queue().waiter() != null);
            }
        }
        // Two tabs hold a poll each (the per-browser cap); the third was told to poll instead.
        Wait.until("the third tab to fall back", 10, () -> "polling".equals(browser.js("return pagewire.mode;")));
        assertTrue(((List<?>) browser.js("return window.events;")).contains("mode:fallback")
                || ((List<?>) browser.js("return window.events;")).contains("mode:polling"),
                String.valueOf(browser.js("return window.events;")));
        pagewire.pages().forPath("/push/comet/").call("ui.show", "to all tabs");
        for (String tab : tabs) {
            browser.driver().switchTo().window(tab);
            Wait.until("the push in every tab", 15, () -> received().equals(List.of("to all tabs")));
        }
    }

    @Test
    void overflowRaisesResyncAndDeliveryGoesOn() {
        String id = open(url(DeliveryMode.PASSIVE), DeliveryMode.PASSIVE);
        PageGroup page = pagewire.pages().byId(id);
        for (int i = 0; i < 25; i++) {
            page.call("ui.show", i); // past maxQueuedUpdates (20): the page must resync
        }
        page.call("ui.show", "after");
        browser.await("return await Probe.ping();");
        assertEquals(List.of(21L, 22L, 23L, 24L, "after"), received(), "what came after the resync point");
        assertTrue(((List<?>) browser.js("return window.events;")).contains("resync:overflow"),
                String.valueOf(browser.js("return window.events;")));
    }

    @Test
    void unloadEndsTheSessionAtOnce() {
        String id = open(url(DeliveryMode.COMET), DeliveryMode.COMET);
        browser.driver().get("about:blank");
        Wait.until("the session to end", 10, () -> pagewire.pageRegistry.find(id) == null);
    }
}
