package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.ProbePage;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code auto}'s answer to the browser's {@code offline} and {@code online} events in real
 * Chromium, its network taken away and given back ({@link Browser#network(boolean)}): a page live
 * on websocket (or on sse) fires {@code disconnect} (code {@code NETWORK}) when the browser goes
 * offline; the pushes made while it is offline wait on the server; when the browser is online
 * again the page reconnects in the {@code online} event itself, not when its backoff (grown by the
 * failed tries meanwhile) would, keeps its mode and its page, and applies every push once, in order.
 */
class OfflineBrowserTest {
    /**
     * Records, in {@code window.trail}, what the page does on the network: {@code socket} and
     * {@code stream} when one is made, {@code poll} and {@code poll failed} for {@code POST poll}
     * (a probe, the first step of a reconnect after a backoff), {@code offline:} with the last
     * engine event when the offline event reached the page, {@code online}, and the engine's log
     * lines (for the failure messages). The engine looks its globals up at each use, so it makes
     * its sockets, streams and requests through these.
     */
    private static final String TRAIL = """
            window.trail = [];
            const Socket = window.WebSocket;
            window.WebSocket = class extends Socket {
              constructor(...a) { super(...a); trail.push('socket'); }
            };
            pagewire.setLogger({ log: (level, message) => trail.push(level + ' ' + message) });
            const Source = window.EventSource;
            window.EventSource = class extends Source { constructor(...a) { super(...a); trail.push('stream'); } };
            const fetchFirst = window.fetch;
            window.fetch = (url, init) => {
              const poll = String(url).endsWith('/poll');
              if (poll) trail.push('poll');
              return fetchFirst(url, init).catch((e) => { if (poll) trail.push('poll failed'); throw e; });
            };
            addEventListener('offline', () => trail.push('offline:' + events.at(-1)));
            addEventListener('online', () => trail.push('online'));
            """;

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Balancer balancer;
    @AutoClose
    private static Browser browser;
    private final List<Long> expected = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        ProbePage.writeTo(web);
        Files.createDirectories(web.resolve("sse"));
        Files.copy(web.resolve("push/index.html"), web.resolve("sse/index.html"));
        // auto (the default) everywhere: websocket at /push/; sse at /sse/, the best it may use there
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe())
                .deliveryRule("/sse/", DeliveryMode.AUTO, DeliveryMode.SSE).build();
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        balancer = Balancer.start(server.port());
        browser = new Browser();
    }

    @AfterEach
    void online() {
        browser.network(true);
        browser.leaveOneBlankWindow();
    }

    @ParameterizedTest
    @EnumSource(names = {"WEBSOCKET", "SSE"})
    void offlineDisconnectsAtOnceAndOnlineReconnectsAtOnceWithEveryPushOnceInOrder(DeliveryMode mode) {
        browser.driver().get("http://localhost:" + balancer.port() + (mode == DeliveryMode.SSE ? "/sse/" : "/push/"));
        String id = (String) browser.await("return await pagewire.ready;");
        LivePage page = pagewire.pageRegistry.find(id);
        Wait.until("the page live on " + mode, 20, () -> mode.wireName().equals(browser.js("return pagewire.mode;"))
                && page.deliveryMode() == mode && page.queue().waiter() != null);
        browser.js(TRAIL);
        push(id, 50);
        awaitReceived();

        // The network goes: Chromium's emulation fails new requests and closes sockets, but keeps
        // an open event stream; a real network's loss cuts that too.
        browser.network(false);
        balancer.cutAll();
        Wait.until("disconnect when offline", 10, () -> events().contains("disconnect:NETWORK"));
        assertEquals("offline:disconnect:NETWORK", trail().stream().filter(t -> t.startsWith("offline")).findFirst().orElseThrow(),
                "disconnect fired by the time the offline event was dispatched: " + trail());
        push(id, 50); // kept on the server meanwhile
        // Tries fail while offline and the backoff grows: after three (1 s and 2 s apart), the next waits 5 s.
        try {
            Wait.until("three failed tries while offline", 30, () -> trail().stream().filter("poll failed"::equals).count() >= 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + trail() + " " + events(), e);
        }
        assertEquals(50, ((Number) browser.js("return window.received.length;")).intValue(), "nothing came while offline");

        browser.network(true);
        awaitReceived();
        // After the last try that failed offline: the online event, and a new socket or stream
        // made by it, not the probe poll with which a backoff's wait ends.
        List<String> trail = trail();
        List<String> afterOffline = trail.subList(trail.lastIndexOf("poll failed") + 1, trail.size());
        String reconnect = mode == DeliveryMode.SSE ? "stream" : "socket";
        assertTrue(afterOffline.contains("online"), trail.toString());
        assertEquals(reconnect, afterOffline.stream().filter(List.of("socket", "stream", "poll")::contains).findFirst().orElse(null),
                "online: a new " + reconnect + " at once, not the probe that ends a backoff: " + trail);
        List<String> events = events();
        List<String> sinceOffline = events.subList(events.indexOf("disconnect:NETWORK"), events.size());
        assertEquals(List.of("disconnect:NETWORK", "connect:" + mode.wireName()), sinceOffline, "one disconnect, one connect: " + trail());
        assertEquals(id, browser.js("return pagewire.pageId;"), "the same page: nothing to resync");
        assertEquals(mode.wireName(), browser.js("return pagewire.mode;"), "offline is no failure of the mode");
        assertTrue(events.stream().noneMatch(e -> e.startsWith("resync") || e.startsWith("error")), events.toString());
    }

    private void push(String id, int count) {
        for (int i = 0; i < count; i++) {
            long next = expected.size() + 1;
            pagewire.pages().byId(id).call("ui.show", next);
            expected.add(next);
        }
    }

    private void awaitReceived() {
        Wait.until(expected.size() + " pushes applied", 30,
                () -> ((Number) browser.js("return window.received.length;")).intValue() >= expected.size());
        assertEquals(expected, browser.js("return window.received;"), "each push once, in order: " + trail());
    }

    @SuppressWarnings("unchecked")
    private static List<String> events() {
        return (List<String>) browser.js("return window.events;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> trail() {
        return (List<String>) browser.js("return window.trail;");
    }
}
