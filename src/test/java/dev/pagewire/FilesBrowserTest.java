package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Heap;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Files between real Chromium and a real server: a 50 MB upload with progress while the server's
 * heap stays flat, an oversize file refused, downloads saved by {@code save()}, used once, from
 * their own HTTP session only, and 50 MB streamed.
 */
class FilesBrowserTest {
    static final int MB = 1 << 20;

    public static class Uploads {
        static final AtomicInteger RECEIVED = new AtomicInteger();
        static final AtomicLong HEAP_DURING = new AtomicLong();
        static volatile Path report;

        /** Checks the bytes are {@code i & 255}; measures the heap while the whole upload is the method's. */
        public String receive(String label, FileUpload file) throws IOException {
            RECEIVED.incrementAndGet();
            HEAP_DURING.set(Heap.usedAfterGc(3));
            try (InputStream in = file.inputStream()) {
                long[] read = checkPattern(in, at -> { });
                return label + ":" + file.name() + ":" + read[0] + ":" + read[1];
            }
        }

        public String ping(String s) {
            return s;
        }

        public FileDownload report() throws IOException {
            return FileDownload.of(report, "report.bin", "application/octet-stream");
        }

        /** 50 MB of {@code i & 255}, made as it is read: nothing held. */
        public FileDownload fifty() {
            return FileDownload.of("fifty.bin", "application/octet-stream", 50L * MB, () -> new InputStream() {
                private long at;

                @Override
                public int read() {
                    return at < 50L * MB ? (int) (at++ & 255) : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (at >= 50L * MB) {
                        return -1;
                    }
                    int n = (int) Math.min(len, 50L * MB - at);
                    for (int k = 0; k < n; k++) {
                        b[off + k] = (byte) at++;
                    }
                    return n;
                }
            });
        }
    }

    /**
     * Reads {@code in} to its end, checking that byte {@code i} is {@code i & 255}; {@code read}
     * hears the count so far after each read. Returns the count and the bytes that differed.
     */
    static long[] checkPattern(InputStream in, java.util.function.LongConsumer read) throws IOException {
        long i = 0;
        long wrong = 0;
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            for (int k = 0; k < n; k++, i++) {
                wrong += buf[k] == (byte) i ? 0 : 1;
            }
            read.accept(i);
        }
        return new long[] {i, wrong};
    }

    @TempDir
    static Path web;
    @TempDir
    static Path saved;
    static byte[] reportBytes;
    @AutoClose("stop")
    private static Served server;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        reportBytes = new byte[2 * MB];
        for (int i = 0; i < reportBytes.length; i++) {
            reportBytes[i] = (byte) (i * 31 + 7);
        }
        Uploads.report = Files.write(web.resolve("report-source.bin"), reportBytes);
        Files.createDirectories(web.resolve("files"));
        Files.writeString(web.resolve("files/index.html"), """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>files</title><link rel="icon" href="data:,">
                <script src="/pagewire/engine.js"></script>
                <script src="/pagewire/interface/Uploads.js"></script>
                </head><body>
                <script>
                  /** n MB of i & 255, as a File. */
                  window.patterned = (mb, name) => {
                    const chunk = new Uint8Array(1 << 20);
                    for (let i = 0; i < chunk.length; i++) chunk[i] = i & 255;
                    return new File(Array(mb).fill(chunk), name);
                  };
                </script>
                </body></html>
                """);
        server = Served.start(Pagewire.builder().expose(new Uploads()).maxUploadBytes(60L * MB).build(), web);
        browser = new Browser();
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        ((ChromeDriver) browser.driver()).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", saved.toString()));
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors().stream()
                .filter(e -> !e.contains("/download/")).toList()); // a refused download's 410 is logged by the browser
    }

    private void open() {
        browser.driver().get("http://localhost:" + server.port() + "/files/");
        browser.await("await pagewire.ready;");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFiftyMegabyteUploadStreamsToTheMethodWithProgressAndAFlatHeap() {
        open();
        long before = Heap.usedAfterGc(3);
        Map<String, Object> out = (Map<String, Object>) browser.await("""
                const progress = [];
                const events = [];
                pagewire.on('progress', (d) => events.push(d));
                const result = await Uploads.receive('big', patterned(50, 'fifty.bin'), {onProgress: (p) => progress.push(p)});
                return {result, progress, events};
                """);

        assertEquals("big:fifty.bin:" + 50L * MB + ":0", out.get("result"));
        long grew = Uploads.HEAP_DURING.get() - before;
        assertTrue(grew < 20L * MB, "the heap grew by " + grew / MB + " MB while the method held a 50 MB upload");
        List<Map<String, Object>> progress = (List<Map<String, Object>>) out.get("progress");
        assertTrue(!progress.isEmpty(), "progress was reported");
        long last = -1;
        for (Map<String, Object> p : progress) {
            long loaded = ((Number) p.get("loaded")).longValue();
            assertTrue(loaded >= last, "progress only grows: " + progress);
            last = loaded;
        }
        Map<String, Object> end = progress.get(progress.size() - 1);
        assertEquals(((Number) end.get("total")).longValue(), last, "the last progress is the whole request");
        assertTrue(last > 50L * MB, "the request carried the file: " + last);
        List<Map<String, Object>> events = (List<Map<String, Object>>) out.get("events");
        assertEquals(progress.size(), events.size());
        assertEquals("Uploads", events.get(0).get("proxy"));
        assertEquals("receive", events.get(0).get("method"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOversizeFileIsRefusedNamingTheLimitAndTheCallsAroundItRun() {
        open();
        int received = Uploads.RECEIVED.get();
        Map<String, Object> out = (Map<String, Object>) browser.await("""
                const settle = (p) => p.then((value) => ({value}), (e) => ({code: e.code, message: e.message}));
                const calls = [Uploads.ping('before'), Uploads.receive('huge', patterned(61, 'huge.bin')), Uploads.ping('after')];
                const [before, huge, after] = await Promise.all(calls.map(settle));
                return {before, huge, after};
                """);

        assertEquals(Map.of("value", "before"), out.get("before"));
        assertEquals(Map.of("value", "after"), out.get("after"));
        Map<String, Object> huge = (Map<String, Object>) out.get("huge");
        assertEquals("PAYLOAD_TOO_LARGE", huge.get("code"));
        assertEquals("the file huge.bin exceeds maxUploadBytes (" + 60L * MB + " bytes)", huge.get("message"));
        assertEquals(received, Uploads.RECEIVED.get(), "the method never ran");
    }

    @Test
    @SuppressWarnings("unchecked")
    void saveDownloadsTheFileOnceAndItsUrlServesNoOtherHttpSession() throws Exception {
        open();
        Map<String, Object> first = (Map<String, Object>) browser.await("""
                const d = await Uploads.report();
                d.save();
                return {name: d.name, size: d.size, url: d.url};
                """);
        assertEquals("report.bin", first.get("name"));
        assertEquals((long) reportBytes.length, ((Number) first.get("size")).longValue());
        Path file = saved.resolve("report.bin");
        Wait.until("the browser saved report.bin", 20, () -> Files.exists(file) && file.toFile().length() == reportBytes.length);
        assertArrayEquals(reportBytes, Files.readAllBytes(file));

        List<Object> again = (List<Object>) browser.await("""
                const r = await fetch(arguments[0]);
                return [r.status, (await r.json()).error.code];
                """, first.get("url"));
        assertEquals(List.of(410L, "DOWNLOAD_GONE"), again);

        String url = (String) browser.await("return (await Uploads.report()).url;");
        PageClient stranger = new PageClient(server.port());
        stranger.handshake("/files/");
        HttpResponse<String> refused = stranger.send(HttpRequest.newBuilder(java.net.URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("DOWNLOAD_FORBIDDEN"), refused.body());
        assertEquals((long) reportBytes.length, ((Number) browser.await(
                "return (await (await fetch(arguments[0])).arrayBuffer()).byteLength;", url)).longValue(),
                "the refusal did not use it up");
    }

    @Test
    void aFiftyMegabyteDownloadStreams() throws Exception {
        PageClient page = new PageClient(server.port());
        page.handshake("/files/");
        String url = page.call("Uploads", "fifty").getAsJsonObject("result").getAsJsonObject("$download")
                .get("url").getAsString();
        long before = Heap.usedAfterGc(3);
        HttpResponse<InputStream> response = page.send(HttpRequest.newBuilder(page.uri(url)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(50L * MB), response.headers().firstValue("Content-Length").orElseThrow());
        AtomicLong heapMidway = new AtomicLong();
        long[] read;
        try (InputStream in = response.body()) {
            read = checkPattern(in, at -> {
                if (heapMidway.get() == 0 && at > 25L * MB) {
                    heapMidway.set(Heap.usedAfterGc(3));
                }
            });
        }
        assertEquals(50L * MB, read[0]);
        assertEquals(0, read[1]);
        long grew = heapMidway.get() - before;
        assertTrue(grew < 20L * MB, "the heap grew by " + grew / MB + " MB midway");
        assertEquals(410, page.get(url.substring("/pagewire".length()), Map.of()).status());
    }
}
