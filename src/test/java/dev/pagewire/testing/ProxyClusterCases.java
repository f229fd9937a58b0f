package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.Pagewire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real Pagewire nodes behind a real proxy running the configuration the project ships, the
 * same cases for HAProxy ({@link HaproxyTest}) and nginx ({@link NginxTest}). Until pages are
 * shared between nodes, a page's own requests go through a proxy in front of one node (its port
 * given twice); the round robin and the failover are shown with handshakes, which need no page.
 */
abstract class ProxyClusterCases {
    /** What the shipped files' long timeouts must reach: above any Comet hold and several heartbeats. */
    private static final Duration LONG_HELD = Duration.ofMinutes(2);
    /** How long a poll stays held before the push that answers it. */
    private static final long HOLD_BEFORE_PUSH_SECONDS = 3;

    private final List<AutoCloseable> running = new ArrayList<>();

    /** Starts the proxy under test, running its shipped file, in front of the nodes on these ports. */
    abstract ProxyProcess startProxy(int nodeA, int nodeB);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void handshakesAlternateBetweenTheNodes() {
        TestServer a = node(Pagewire.builder().expose(new NodeName("a")));
        TestServer b = node(Pagewire.builder().expose(new NodeName("b")));
        ProxyProcess proxy = proxy(a.port(), b.port());

        for (int i = 0; i < 4; i++) {
            new PageClient(proxy.port()).handshake("/page-" + i + "/");
        }

        assertEquals(List.of(2, 2), List.of(a.pagewire().livePages(), b.pagewire().livePages()),
                "round robin: each node made every other page\n" + proxy.log());
    }

    @Test
    void aStoppedNodeIsSkippedAndRequestsKeepSucceeding() {
        TestServer a = node(Pagewire.builder().expose(new NodeName("a")));
        TestServer b = node(Pagewire.builder().expose(new NodeName("b")));
        ProxyProcess proxy = proxy(a.port(), b.port());
        stop(b);

        for (int i = 0; i < 4; i++) {
            PageClient page = new PageClient(proxy.port());
            page.handshake("/after-stop/");
            assertEquals("a", page.call("NodeName", "name").get("result").getAsString(), proxy.log());
            assertEquals(200, page.get("/engine.js", Map.of()).status());
        }
        assertEquals(4, a.pagewire().livePages(), "every page went to the node that runs");
    }

    @Test
    void anSseStreamDeliversEachPushWhileItStaysOpen() throws IOException {
        TestServer node = node(Pagewire.builder().expose(new Ping()));
        ProxyProcess proxy = proxy(node.port(), node.port());
        EnginePage page = new EnginePage(proxy.port(), "/sse/");

        try (RawHttp stream = RawHttp.send(proxy.port(), "GET", page.streamPath() + "&ack=0", page.rawHeaders(), null)
                .readHead()) {
            assertEquals(200, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            Wait.until("the stream to be held at the node", 20, () -> node.pagewire().heldRequests() == 1);
            for (int n = 1; n <= 3; n++) {
                node.pagewire().pages().byId(page.client().pageId()).call("ui.show", n);
                assertTrue(page.readEvents(stream, 1), "the stream ended before update " + n + ": " + stream.seen());
            }
        }
        assertEquals(List.of(1, 2, 3), page.applied(), "each update arrived before the next was pushed");
    }

    @Test
    void aCometPollHeldForSecondsIsAnsweredByAPush() throws Exception {
        TestServer node = node(Pagewire.builder().expose(new Ping()));
        ProxyProcess proxy = proxy(node.port(), node.port());
        EnginePage page = new EnginePage(proxy.port(), "/comet/");
        AtomicBoolean heldWhenPushed = new AtomicBoolean();
        Executor later = CompletableFuture.delayedExecutor(HOLD_BEFORE_PUSH_SECONDS, TimeUnit.SECONDS);

        CompletableFuture<JsonObject> poll = CompletableFuture.supplyAsync(() -> page.poll(true));
        Wait.until("the poll to be held at the node", 20, () -> node.pagewire().heldRequests() == 1);
        CompletableFuture.runAsync(() -> {
            heldWhenPushed.set(node.pagewire().heldRequests() == 1);
            node.pagewire().pages().byId(page.client().pageId()).call("ui.show", 7);
        }, later);

        page.apply(poll.get(30, TimeUnit.SECONDS).getAsJsonArray("updates"));
        assertTrue(heldWhenPushed.get(), "the poll was still held through the proxy after "
                + HOLD_BEFORE_PUSH_SECONDS + " s\n" + proxy.log());
        assertEquals(List.of(7), page.applied());
    }

    @Test
    void aWebSocketPassesTheProxyAndCarriesEachPush() throws Exception {
        TestServer node = node(Pagewire.builder().expose(new Ping()));
        ProxyProcess proxy = proxy(node.port(), node.port());
        PageClient page = new PageClient(proxy.port());
        page.handshake("/socket/");

        try (SocketClient socket = SocketClient.open(proxy.port(), page.cookieHeader(), null)) {
            socket.hello(page, 0);
            socket.next("open");
            List<Long> applied = new ArrayList<>();
            for (long n = 1; n <= 3; n++) {
                node.pagewire().pages().byId(page.pageId()).call("ui.show", n);
                for (var update : socket.next("updates").getAsJsonArray("updates")) {
                    applied.add(update.getAsJsonObject().getAsJsonArray("args").get(0).getAsLong());
                }
            }
            assertEquals(List.of(1L, 2L, 3L), applied, "each push came down the socket through the proxy\n" + proxy.log());
        }
    }

    @Test
    void theNodeSeesTheBrowsersHostAndItsAddress() throws IOException {
        TestServer node = node(Pagewire.builder().expose(new Ping())
                .trustedProxies("127.0.0.1").rateLimitLoopback(true).handshakesPerMinute(1));
        ProxyProcess proxy = proxy(node.port(), node.port());
        String ownOrigin = "http://localhost:" + proxy.port();

        assertEquals(200, handshake(proxy, "127.0.0.2", ownOrigin),
                "the Host header passed unchanged, so the page's origin is the server's own");
        assertEquals(429, handshake(proxy, "127.0.0.2", ownOrigin), "one handshake per visitor");
        assertEquals(200, handshake(proxy, "127.0.0.3", ownOrigin),
                "X-Forwarded-For: another visitor has an allowance of its own, not the proxy's");
        assertEquals(403, handshake(proxy, "127.0.0.4", "http://localhost:" + node.port()),
                "an origin other than the Host the browser used is refused");
    }

    @Test
    void closingEndsTheProxyAndAllItsProcesses() {
        TestServer node = node(Pagewire.builder().expose(new Ping()));
        ProxyProcess proxy = startProxy(node.port(), node.port());
        int port = proxy.port();

        proxy.close();

        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "no process (nginx's workers included) still listens on the port");
        assertFalse(Files.exists(proxy.dir()), "its folder is deleted");
    }

    /**
     * Fails unless each of {@code directives} appears once in {@code config} with a duration of at
     * least {@link #LONG_HELD}.
     */
    static void assertLongHeld(String config, List<String> directives) {
        for (String directive : directives) {
            List<String> timeout = values(config, directive);
            assertEquals(1, timeout.size(), directive + " once");
            assertTrue(duration(timeout.get(0)).compareTo(LONG_HELD) >= 0, directive + " " + timeout.get(0));
        }
    }

    /** A duration as both files write it: {@code 5s}, {@code 2m}, {@code 1h}. */
    private static Duration duration(String value) {
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("not a duration: " + value);
        };
    }

    /** The values of the lines {@code directive value} in {@code config}, in order. */
    static List<String> values(String config, String directive) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(directive) + "\\s+([^;\\s]+)").matcher(config);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private TestServer node(Pagewire.Builder builder) {
        return keep(TestServer.start(builder));
    }

    private ProxyProcess proxy(int nodeA, int nodeB) {
        return keep(startProxy(nodeA, nodeB));
    }

    private void stop(TestServer node) {
        running.remove(node);
        node.close();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        running.add(closeable);
        return closeable;
    }

    /**
     * A browser on {@code address} makes a handshake through the proxy, as a page of
     * {@code origin}; returns the status.
     */
    private static int handshake(ProxyProcess proxy, String address, String origin) throws IOException {
        byte[] body = "{\"path\":\"/\"}".getBytes(StandardCharsets.UTF_8);
        String head = "POST /pagewire/handshake HTTP/1.1\r\nHost: localhost:" + proxy.port()
                + "\r\nOrigin: " + origin + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port(),
                InetAddress.getByName(address), 0)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            return Integer.parseInt(RawHttp.readLine(socket.getInputStream()).split(" ")[1]);
        }
    }
}
