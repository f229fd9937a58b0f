package dev.pagewire;

import dev.pagewire.embed.PagewireServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The handshake flood of SECURITY.md: one cookie-less client (127.0.0.1) makes handshakes as fast
 * as 8 threads can, never coming back to its pages and ignoring {@code Retry-After}, against a
 * server with the default settings but {@code rateLimitLoopback(true)} (its clients are all on
 * loopback addresses). Meanwhile, and after, an honest page tries a handshake every
 * second, each time from another address (127.0.1.x: a new visitor). Prints when the total page
 * cap was reached (if it was), the most pages held, what the honest pages got during the flood,
 * and how long after the flood one got in.
 *
 * <p>Not a test (CI does not run it). Run from the project root: {@code mvn -q test-compile
 * exec:java -Dsamples.main=dev.pagewire.HandshakeFloodBenchmark -Dexec.args=150} (flood seconds at
 * most; default 150). Linux routes all of 127.0.0.0/8 to the loopback, which gives the second address.
 */
public final class HandshakeFloodBenchmark {
    private static final String BODY = "{\"path\":\"/flood/\"}";

    public static void main(String[] args) throws Exception {
        long floodSeconds = args.length > 0 ? Long.parseLong(args[0]) : 150;
        // Every client here is on a loopback address, which the default leaves unlimited.
        Pagewire pagewire = Pagewire.builder().rateLimitLoopback(true).build();
        PagewireServer server = PagewireServer.create(pagewire).host("127.0.0.1").start(0);
        int port = server.port();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong capReachedAt = new AtomicLong(-1);
        long start = System.nanoTime();
        ExecutorService attackers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            attackers.execute(() -> flood(port, flooding, statuses, capReachedAt, start));
        }
        int honestTries = 0;
        int honestAdmitted = 0;
        int mostPages = 0;
        long deadline = start + TimeUnit.SECONDS.toNanos(floodSeconds);
        while (System.nanoTime() < deadline && capReachedAt.get() < 0) {
            honestTries++;
            honestAdmitted += honestHandshake(port, honestTries) == 200 ? 1 : 0;
            mostPages = Math.max(mostPages, pagewire.livePages());
            System.out.printf("%5.1f s  live pages %,d  flood replies %s%n", seconds(start), pagewire.livePages(), statuses);
            Thread.sleep(1000);
        }
        flooding.set(false);
        attackers.shutdown();
        attackers.awaitTermination(30, TimeUnit.SECONDS);
        long floodEnd = System.nanoTime();
        System.out.println(capReachedAt.get() < 0
                ? "cap not reached in " + floodSeconds + " s; at most " + mostPages + " live pages"
                : String.format("cap reached after %.1f s", capReachedAt.get() / 1e9));
        System.out.printf("honest pages during the flood: admitted %d of %d%n", honestAdmitted, honestTries);
        while (honestHandshake(port, ++honestTries) != 200) {
            if (seconds(floodEnd) > 420) {
                System.out.println("honest page still refused 7 min after the flood");
                break;
            }
            Thread.sleep(1000);
        }
        System.out.printf("honest page admitted %.1f s after the flood stopped; live pages %,d; flood replies %s%n",
                seconds(floodEnd), pagewire.livePages(), statuses);
        server.stop();
        pagewire.close();
    }

    private static void flood(int port, AtomicBoolean flooding, Map<Integer, AtomicLong> statuses,
                              AtomicLong capReachedAt, long start) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // no cookies kept
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pagewire/handshake"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        while (flooding.get()) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                if (status == 503) {
                    capReachedAt.compareAndSet(-1, System.nanoTime() - start);
                }
            } catch (IOException e) {
                statuses.computeIfAbsent(-1, s -> new AtomicLong()).incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One handshake from 127.0.1.x, as a new visitor; its status. */
    private static int honestHandshake(int port, int visitor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.1." + (1 + visitor % 250), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /pagewire/session HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
