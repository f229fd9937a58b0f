package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    /** Counts how often each number reached the server; number 2 waits for the test's signal. */
    public static class Slow {
        static final Map<Integer, Integer> HITS = new ConcurrentHashMap<>();
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        /** Counts {@code n} and returns it, after the test's signal for n = 2. */
        public int hit(int n) throws InterruptedException {
            HITS.merge(n, 1, Integer::sum);
            if (n == 2) {
                RELEASE.await(60, TimeUnit.SECONDS);
            }
            return n;
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
        assertEquals(1L, browser.await("return await Slow.hit(1);"), "a first call: the connection is now reused");
        browser.js("window.second = Slow.hit(2).then((r) => 'ok ' + r, (e) => e.code);");
        Wait.until("the second call to run", 20, () -> Slow.HITS.getOrDefault(2, 0) == 1);
        balancer.cutAll(); // the request arrived; no byte of the reply has gone out
        Slow.RELEASE.countDown();
        String outcome = (String) browser.await("return await window.second;");
        assertEquals(1, Slow.HITS.get(2), "the call ran once (the page saw: " + outcome + ")");
        assertEquals("ok 2", outcome, "and the page got its result");
    }
}
