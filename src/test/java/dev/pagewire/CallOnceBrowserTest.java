package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call runs once even when the browser sends it twice. Browsers resend a request, POSTs too,
 * when a reused keep-alive connection fails before any byte of the reply came (they take it for
 * a connection the server had closed as idle): a call whose connection is cut while it runs
 * reaches the server a second time on a new connection. Real Chromium behind a {@link Balancer}
 * whose connections the test cuts while the method runs.
 */
class CallOnceBrowserTest {
    /** Counts how often each number reached the server; numbers from 2 on wait for the test's signal. */
    public static class Slow {
        static final Map<Integer, Integer> HITS = new ConcurrentHashMap<>();
        static final Map<Integer, CountDownLatch> RELEASE = new ConcurrentHashMap<>();

        /** Counts {@code n} and returns it, after the test's signal for n of 2 or more. */
        public int hit(int n) throws InterruptedException {
            HITS.merge(n, 1, Integer::sum);
            if (n >= 2) {
                release(n).await(60, TimeUnit.SECONDS);
            }
            return n;
        }

        static CountDownLatch release(int n) {
            return RELEASE.computeIfAbsent(n, k -> new CountDownLatch(1));
        }
    }

    @TempDir
    static Path web;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Balancer balancer;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(web.resolve("index.html"), """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>once</title>
                <link rel="icon" href="data:,">
                <script src="/pagewire/engine.js"></script><script src="/pagewire/interface/Slow.js"></script>
                </head><body></body></html>
                """);
        Pagewire pagewire = Pagewire.builder().expose(new Slow()).deliveryMode(DeliveryMode.PASSIVE).build();
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        balancer = Balancer.start(server.port());
        browser = new Browser();
    }

    @Test
    void aCallCutWhileItRunsAndResentByTheBrowserRunsOnce() {
        browser.driver().get("http://localhost:" + balancer.port() + "/");
        browser.await("return await pagewire.ready;");
        // The browser resends only a request whose reused connection failed: one that went out on
        // a connection it had just opened (the first call's was not back in its pool yet) is not
        // cut, and the test tries again, up to five times.
        boolean cut = false;
        for (int n = 2; n <= 6 && !cut; n++) {
            assertEquals(1L, browser.await("return await Slow.hit(1);"), "a first call: the connection is now reused");
            int connections = balancer.connections(server.port());
            browser.js("window.second = Slow.hit(" + n + ").then((r) => 'ok ' + r, (e) => e.code);");
            int running = n;
            Wait.until("call " + n + " to run", 20, () -> Slow.HITS.getOrDefault(running, 0) == 1);
            cut = balancer.connections(server.port()) == connections;
            if (cut) {
                balancer.cutAll(); // the request arrived on a reused connection; no byte of the reply has gone out
            }
            Slow.release(n).countDown();
            String outcome = (String) browser.await("return await window.second;");
            assertEquals(1, Slow.HITS.get(n), "call " + n + " ran once (the page saw: " + outcome + ")");
            assertEquals("ok " + n, outcome, cut ? "the browser resent the cut call and the page got its result"
                    : "a call not cut is answered");
        }
        assertTrue(cut, "no call of five went out on a connection the browser had used before");
    }
}
