package dev.pagewire;

import com.google.gson.JsonElement;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Heap;
import dev.pagewire.testing.PageClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Soak: minutes of steady calls, broadcasts and page churn against one in-process server, with
 * the used heap after GC sampled every 30 s. Flat means no per-page or per-push state is kept
 * beyond what is live. Loopback only; stops by itself.
 *
 * <p>Not a test (CI does not run it). Run from the project root: {@code mvn -q test-compile exec:java
 * -Dsamples.main=dev.pagewire.SoakBenchmark -Dexec.args=30} (minutes; default 30). Result:
 * {@code bench/results/<date>-soak.txt}.
 */
public final class SoakBenchmark {
    /** The service the soak calls. */
    public static class Echo {
        public String echo(String text) {
            return text;
        }
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Pagewire pagewire = Pagewire.builder().expose(new Echo()).deliveryMode(DeliveryMode.COMET)
                .maxHeldRequestsPerHttpSession(4).pageIdleTimeout(Duration.ofSeconds(20)).build();
        PagewireServer server = PagewireServer.create(pagewire).start(0);
        int port = server.port();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        AtomicLong delivered = new AtomicLong();
        AtomicLong pushes = new AtomicLong();
        AtomicLong churned = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        java.util.Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Consumer<String> error = kind -> {
            errors.incrementAndGet();
            errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        };
        ExecutorService pool = Executors.newCachedThreadPool();

        // 40 long-lived Comet pages, acknowledging as they go.
        for (int i = 0; i < 40; i++) {
            pool.execute(() -> {
                PageClient page = new PageClient(port);
                page.handshake("/soak/");
                long ack = 0;
                while (running.get()) {
                    try {
                        PageClient.Reply r = page.post("/poll", "{\"ack\":" + ack + ",\"hold\":true}", page.pageHeaders());
                        if (r.status() == 410) {
                            page.handshake("/soak/");
                            ack = 0;
                            continue;
                        }
                        for (JsonElement e : r.json().getAsJsonArray("updates")) {
                            ack = Math.max(ack, e.getAsJsonObject().get("seq").getAsLong());
                            delivered.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        error.accept("poll: " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                }
            });
        }
        // 4 callers making batches of calls as fast as they can.
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> {
                PageClient page = new PageClient(port);
                page.handshake("/soak/callers/");
                while (running.get()) {
                    PageClient.Reply r;
                    try {
                        r = page.batch().call("Echo", "echo", "hi").call("Echo", "echo", "there").send();
                    } catch (RuntimeException e) {
                        error.accept("call: " + e.getClass().getSimpleName());
                        continue;
                    }
                    if (r.status() == 200) {
                        calls.addAndGet(2);
                    } else if (r.status() == 410) {
                        page.handshake("/soak/callers/");
                    } else {
                        error.accept("call: HTTP " + r.status());
                    }
                }
            });
        }
        // Churn: pages that come, get a push, and go (unload, or left to time out).
        pool.execute(() -> {
            PageClient browser = new PageClient(port);
            while (running.get()) {
                browser.handshake("/soak/churn/");
                pagewire.pages().byId(browser.pageId()).call("ui.hello", "x");
                if (churned.incrementAndGet() % 2 == 0) {
                    browser.post("/unload", "{\"page\":\"" + browser.pageId() + "\",\"token\":\"" + browser.token()
                            + "\"}", java.util.Map.of("Content-Type", "text/plain"));
                }
                LockSupport.parkNanos(20_000_000);
            }
        });
        // Broadcasts to the Comet pages, 50 a second.
        pool.execute(() -> {
            while (running.get()) {
                pagewire.pages().forPath("/soak/").call("ui.tick", System.currentTimeMillis(), "some payload text");
                pushes.incrementAndGet();
                LockSupport.parkNanos(20_000_000);
            }
        });

        List<String> rows = new ArrayList<>();
        rows.add("| minute | used heap after GC (MB) | sessions | held | calls | pushes | updates delivered | pages churned | errors |");
        rows.add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        List<Long> heaps = new ArrayList<>();
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(30));
            long heap = Heap.usedAfterGc(3);
            heaps.add(heap);
            String row = String.format("| %.1f | %.1f | %d | %d | %d | %d | %d | %d | %d |",
                    (System.nanoTime() - start) / 60e9, heap / 1048576.0, pagewire.pageRegistry.size(),
                    pagewire.transports.heldRequests(), calls.get(), pushes.get(), delivered.get(), churned.get(), errors.get());
            rows.add(row);
            System.out.println(row);
        }
        running.set(false);
        pool.shutdownNow();
        server.stop();

        int n = heaps.size();
        double first = heaps.subList(Math.min(4, n - 1), Math.min(8, n)).stream().mapToLong(Long::longValue).average().orElse(0);
        double last = heaps.subList(Math.max(0, n - 4), n).stream().mapToLong(Long::longValue).average().orElse(0);
        String verdict = String.format("Heap after GC, average of samples 5-8 (after 2 min warm-up): %.1f MB; of the last 4: %.1f MB;"
                + " change %.1f%%.", first / 1048576, last / 1048576, 100 * (last - first) / first);
        System.out.println(verdict);
        String date = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        Path out = Path.of("bench/results/" + date + "-soak.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Pagewire soak, " + minutes + " min, " + date + "\n\n"
                + "40 Comet pages acknowledging, 4 callers sending 2-call batches as fast as they can, 50 broadcasts/s,"
                + " 50 pages/s coming and going (half unload, half time out after 20 s). In-process server, JDK "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores.\n\n"
                + String.join("\n", rows) + "\n\n" + verdict + "\n\nErrors by kind: " + errorKinds + "\n");
        System.exit(0);
    }
}
