package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Cuts;
import dev.pagewire.testing.ProbePage;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine in websocket mode in real Chromium: 1,000 pushes while the TCP connections are cut
 * a few times mid-stream (a {@link Balancer} in front of the server), each applied once and in
 * order; calls answered over the socket before and after; and 10,000 pushes with 1,500 calls made
 * meanwhile, cut at random points: every push applied once and in order, every call answered once
 * or failed with {@code NETWORK} having run at most once.
 */
class WebSocketBrowserTest {
    /** Counts how often each number reached the server. */
    public static class Counter {
        static final Map<Integer, Integer> HITS = new ConcurrentHashMap<>();

        public int hit(int n) {
            HITS.merge(n, 1, Integer::sum);
            return n;
        }
    }

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
        ProbePage.writeTo(web);
        Files.writeString(web.resolve("calls.html"), """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>calls</title>
                <link rel="icon" href="data:,">
                <script src="/pagewire/engine.js"></script><script src="/pagewire/interface/Counter.js"></script>
                </head><body><script>
                  window.received = [];
                  pagewire.expose('ui', { show(value) { received.push(value); } });
                  // Calls one after another while pushes stream: each answered with its number, or failed.
                  window.callLoop = async (n) => {
                    const out = {};
                    for (let k = 1; k <= n; k++) {
                      try { out[k] = (await Counter.hit(k)) === k ? 'ok' : 'wrong'; } catch (e) { out[k] = e.code || String(e); }
                    }
                    return out;
                  };
                </script></body></html>
                """);
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe()).expose(new Counter())
                .deliveryMode(DeliveryMode.WEBSOCKET).maxQueuedUpdates(12_000).build();
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
                long connects = connects();
                Cuts.cutAndAwaitReconnect(balancer, page, "the cut at " + i); // mid-stream: frames are in flight
                // the server has the new socket before the page has its "open": wait for the page too,
                // or the next cut could land before the page knew it was back
                Wait.until("the page back after the cut at " + i, 60, () -> connects() > connects);
            }
        }
        Wait.until("1,000 pushes applied", 60, () -> ((Number) browser.js("return window.received.length;")).intValue() >= 1000);
        assertEquals(expected, browser.js("return window.received;"), "each push once, in order");
        assertEquals("pong", browser.await("return await Probe.ping();"), "calls after the cuts");
        assertEquals(4L, browser.js("return window.events.filter((e) => e === 'disconnect:NETWORK').length;"),
                "each cut lost the connection once: " + browser.js("return window.events;"));
        browser.driver().get("about:blank");
    }

    private static long connects() {
        return (Long) browser.js("return window.events.filter((e) => e.startsWith('connect:')).length;");
    }

    @Test
    void tenThousandPushesAndCallsAcrossRandomCuts() {
        browser.driver().get("http://localhost:" + balancer.port() + "/calls.html");
        String id = (String) browser.await("return await pagewire.ready;");
        LivePage page = pagewire.pageRegistry.find(id);
        Wait.until("the page's socket", 10, () -> page.queue().waiter() != null);
        browser.js("window.callsDone = window.callLoop(1500).then((r) => { window.callResults = r; });");

        Random random = new Random(17);
        int cuts = 0;
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= 10_000; i++) {
            pagewire.pages().byId(id).call("ui.show", i);
            expected.add(i);
            if (random.nextInt(2000) == 0) {
                cuts++;
                Cuts.cutAndAwaitReconnect(balancer, page, "cut " + cuts); // at a random point: pushes and calls are in flight
            }
        }
        Wait.until("10,000 pushes applied", 120, () -> ((Number) browser.js("return window.received.length;")).intValue() >= 10_000);
        assertEquals(expected, browser.js("return window.received;"), "each push once, in order, across " + cuts + " cuts");
        Wait.until("every call settled", 120, () -> browser.js("return window.callResults || null;") != null);
        @SuppressWarnings("unchecked")
        Map<String, String> results = (Map<String, String>) browser.js("return window.callResults;");
        assertEquals(1500, results.size());
        for (var r : results.entrySet()) {
            int k = Integer.parseInt(r.getKey());
            Integer hits = Counter.HITS.get(k);
            if (r.getValue().equals("ok")) {
                assertEquals(1, hits, "call " + k + " answered once and ran once");
            } else {
                assertEquals("NETWORK", r.getValue(), "call " + k + " failed clearly");
                assertTrue(hits == null || hits == 1, "call " + k + " ran at most once: " + hits);
            }
        }
        assertTrue(cuts >= 3, "the seed gives several cuts: " + cuts);
        browser.driver().get("about:blank");
    }
}
