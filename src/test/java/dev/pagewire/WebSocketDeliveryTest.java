package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.SocketClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The websocket delivery mode against embedded Tomcat and the JDK's WebSocket client: pushes in
 * order once, with the numbering and resend of the other modes; calls and their replies; the
 * upgrade's checks; a cut connection and a slow reader, each resumed with nothing lost.
 */
class WebSocketDeliveryTest {
    /** An asynchronous method whose stage the test completes. */
    public static final class Later {
        static final CompletableFuture<String> PENDING = new CompletableFuture<>();

        /** Answers when the test completes {@link #PENDING}. */
        public CompletionStage<String> answer() {
            return PENDING;
        }
    }

    /** Gives back what it is sent. */
    public static final class Echo {
        /** Returns {@code text}. */
        public String echo(String text) {
            return text;
        }
    }

    /** Tells what a call over the socket sees of "the request". */
    public static final class Seen {
        /** The upgrade's method, URI, Origin header (asked in lower case) and header names. */
        public String request(HttpServletRequest request) {
            List<String> names = Collections.list(request.getHeaderNames());
            return request.getMethod() + " " + request.getRequestURI() + " " + request.getHeader("origin") + " "
                    + Collections.list(request.getHeaders("ORIGIN")).size() + " "
                    + names.stream().anyMatch("Cookie"::equalsIgnoreCase) + " " + request.getHeader("X-None");
        }

        /**
         * The upgrade's cookies as name=value, whether the session cookie's value is the very
         * string of the requested session id (shared, not a copy per socket), the remote address
         * and the Cookie header. Changes the first cookie it is given, which later calls must not see.
         */
        public String cookies(HttpServletRequest request) {
            StringBuilder seen = new StringBuilder();
            for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
                seen.append(cookie.getName()).append('=').append(cookie.getValue()).append(' ');
                if (cookie.getName().equals("JSESSIONID")) {
                    seen.append(cookie.getValue() == request.getRequestedSessionId() ? "shared " : "copied ");
                }
            }
            request.getCookies()[0].setValue("changed by a method");
            return seen.append(request.getRemoteAddr()).append(" [").append(request.getHeader("Cookie")).append(']')
                    .toString();
        }

        /** The request attribute {@code calls}, which a test's call filter counts. */
        public Integer attribute(HttpServletRequest request) {
            return (Integer) request.getAttribute("calls");
        }

        /** Asks what a socket has no answer for: a request parameter. */
        public String parameter(HttpServletRequest request) {
            return request.getParameter("q");
        }
    }

    private static Pagewire.Builder builder() {
        return Pagewire.builder().expose(new Ping()).expose(new Later()).expose(new Echo()).expose(new Seen())
                .deliveryMode(DeliveryMode.WEBSOCKET);
    }

    @Test
    void framesUpToMaxBodyBytesAreReadWholeAndALongerOneClosesTheSocket() throws Exception {
        try (TestServer server = TestServer.start(builder().maxBodyBytes(256 * 1024))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            String long1 = "ab".repeat(60_000); // 120,000 characters: many of the container's buffers
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.send(echoFrame(1, long1));
                JsonObject replies = socket.next("replies");
                assertEquals(long1, replies.getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString(),
                        "a frame longer than the container's buffer arrives whole");
                socket.send(echoFrame(2, "x".repeat(300_000)));
                assertEquals(1009, socket.closeCode(10), "a frame over maxBodyBytes closes the socket as too big");
            }
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString(), "the page opens a new socket");
                socket.send(echoFrame(3, "again"));
                assertEquals("again", socket.next("replies").getAsJsonArray("replies").get(0).getAsJsonObject()
                        .get("result").getAsString());
            }
        }
    }

    @Test
    void callsOverTheSocketSeeTheUpgradeRequestAndAClearErrorForWhatItLacks() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            String origin = "http://localhost:" + server.port();
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), origin)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.send("{\"type\":\"call\",\"batch\":1,\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Seen\","
                        + "\"method\":\"request\",\"args\":[]},{\"id\":2,\"proxy\":\"Seen\",\"method\":\"parameter\","
                        + "\"args\":[]}]}");
                JsonArray replies = socket.next("replies").getAsJsonArray("replies");
                assertEquals("GET /pagewire/socket " + origin + " 1 true null",
                        replies.get(0).getAsJsonObject().get("result").getAsString(),
                        "headers by any case, each once, as the upgrade had them");
                JsonObject failed = replies.get(1).getAsJsonObject();
                assertTrue(failed.has("error"), "a request parameter is not there over a socket: " + failed);
            }
        }
    }

    @Test
    void theCallsOfOneFrameShareRequestAttributesAndTheNextFrameHasItsOwn() throws Exception {
        Pagewire.Builder counting = builder().filter((call, chain) -> {
            Object calls = call.request().getAttribute("calls");
            call.request().setAttribute("calls", calls == null ? 1 : (Integer) calls + 1);
            return chain.proceed();
        });
        try (TestServer server = TestServer.start(counting)) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                socket.next("open");
                socket.send("{\"type\":\"call\",\"batch\":1,\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Seen\","
                        + "\"method\":\"attribute\",\"args\":[]},{\"id\":2,\"proxy\":\"Seen\",\"method\":\"attribute\","
                        + "\"args\":[]}]}");
                JsonArray first = socket.next("replies").getAsJsonArray("replies");
                assertEquals(List.of(1, 2), List.of(first.get(0).getAsJsonObject().get("result").getAsInt(),
                        first.get(1).getAsJsonObject().get("result").getAsInt()), "one frame: one request's attributes");
                socket.send(callFrame(2, 0, "Seen", "attribute"));
                assertEquals(1, socket.next("replies").getAsJsonArray("replies").get(0).getAsJsonObject()
                        .get("result").getAsInt(), "the next frame starts with none");
            }
            PageClient.Reply post = page.batch().call("Seen", "attribute").call("Seen", "attribute").send();
            assertEquals(List.of(1, 2), List.of(post.reply(0).get("result").getAsInt(), post.reply(1).get("result").getAsInt()),
                    "as the calls of one POST do");
        }
    }

    @Test
    void callsOverTheSocketSeeTheUpgradesCookiesAndRemoteAddress() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            String sessionCookie = page.cookieHeader();
            // As browsers send them, and spaced as they do not: the header reads as sent either way.
            for (String header : List.of(sessionCookie + "; theme=dark", sessionCookie + ";theme=dark ;  x=")) {
                try (SocketClient socket = SocketClient.open(server.port(), header, null)) {
                    socket.hello(page, 0);
                    assertEquals("open", socket.next().get("type").getAsString());
                    for (int batch = 1; batch <= 2; batch++) {
                        socket.send("{\"type\":\"call\",\"batch\":" + batch + ",\"ack\":0,\"calls\":[{\"id\":1,"
                                + "\"proxy\":\"Seen\",\"method\":\"cookies\",\"args\":[]}]}");
                        String seen = socket.next("replies").getAsJsonArray("replies").get(0).getAsJsonObject()
                                .get("result").getAsString();
                        String theme = header.endsWith("x=") ? "theme=dark x= " : "theme=dark ";
                        assertEquals(sessionCookie + " shared " + theme + "127.0.0.1 [" + header + "]", seen,
                                "call " + batch + ": each cookie and the header as sent, the session id held once per"
                                        + " socket, the client's address; a cookie changed by an earlier call unchanged");
                    }
                }
            }
        }
    }

    @Test
    void anOpenSocketHoldsLittleHeap() throws Exception {
        int sockets = 40;
        try (TestServer server = TestServer.start(builder())) {
            List<PageClient> pages = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                PageClient page = new PageClient(server.port());
                page.handshake("/room/");
                pages.add(page);
            }
            long before = usedHeapAfterGc();
            List<SocketClient> open = new ArrayList<>();
            try {
                for (PageClient page : pages) {
                    SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null);
                    open.add(socket);
                    socket.hello(page, 0);
                    assertEquals("open", socket.next().get("type").getAsString());
                }
                long perSocket = (usedHeapAfterGc() - before) / sockets;
                // both ends are in this JVM: the JDK client's share is included. A container buffer
                // sized to maxBodyBytes (1 MiB) cost about 4 MB per socket here.
                assertTrue(perSocket < 512 * 1024, "heap per open socket: " + perSocket + " bytes");
            } finally {
                open.forEach(SocketClient::close);
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String echoFrame(long batch, String text) {
        return "{\"type\":\"call\",\"batch\":" + batch + ",\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Echo\","
                + "\"method\":\"echo\",\"args\":[\"" + text + "\"]}]}";
    }

    @Test
    void pushesArriveInOrderOnceAndCallsAreAnswered() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = new PageClient(server.port());
            JsonObject delivery = page.handshake("/room/").getAsJsonObject("delivery");
            assertEquals("websocket", delivery.get("mode").getAsString());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                for (int i = 1; i <= 300; i++) {
                    server.pagewire().pages().forPath("/room/").call("ui.add", i);
                }
                assertEquals(300, readUpdates(socket, 0, 300), "every push once, in order");

                socket.send(callFrame(1, 300, "Ping", "ping"));
                JsonObject replies = socket.next("replies");
                assertEquals(1, replies.get("batch").getAsLong());
                assertEquals("pong", replies.getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString());
                LivePage live = server.pagewire().pageRegistry.find(page.pageId());
                assertEquals(0, live.queue().depth(), "the call's ack dropped the delivered updates");

                socket.send(callFrame(2, 300, "Later", "answer"));
                socket.send(callFrame(3, 300, "Ping", "ping"));
                assertEquals(3, socket.next("replies").get("batch").getAsLong(), "a waiting batch holds no later one back");
                Later.PENDING.complete("done");
                JsonObject late = socket.next("replies");
                assertEquals(2, late.get("batch").getAsLong());
                assertEquals("done", late.getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString());

                socket.send("{\"type\":\"call\",\"batch\":4,\"calls\":5}");
                JsonObject refused = socket.next("replies");
                assertEquals(400, refused.get("status").getAsInt());
                assertEquals("MALFORMED", refused.getAsJsonObject("error").get("code").getAsString());
                socket.send(callFrame(5, 300, "Ping", "ping"));
                assertEquals(5, socket.next("replies").get("batch").getAsLong(), "the socket outlives a refused batch");
            }
        }
    }

    @Test
    void aPageThatLeavesItsSocketForPollingIsRecordedAsPolling() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            LivePage live = server.pagewire().pageRegistry.find(page.pageId());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                assertEquals(200, page.post("/poll", "{\"ack\":0}", page.pageHeaders()).status());
                assertEquals(DeliveryMode.WEBSOCKET, live.deliveryMode(), "a poll beside a live socket (its session refresh)");
            }
            // The engine switched to polling (a page started on auto, its socket open already): the
            // socket is gone, and the page polls.
            Wait.until("the server noticed the socket closed", 10, () -> live.queue().waiter() == null);
            assertEquals(200, page.post("/poll", "{\"ack\":0}", page.pageHeaders()).status());
            assertEquals(DeliveryMode.POLLING, live.deliveryMode(), "Page.deliveryMode() tells how the page asks now");
        }
    }

    @Test
    void theUpgradeAndTheHelloAreCheckedLikeEveryRequest() throws Exception {
        try (TestServer server = TestServer.start(builder().deliveryRule("/news/**", DeliveryMode.SSE))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            assertThrows(CompletionException.class,
                    () -> SocketClient.open(server.port(), page.cookieHeader(), "http://evil.example"),
                    "a foreign Origin is refused at the upgrade");

            assertRefused(server, page.cookieHeader(), "{\"type\":\"hello\",\"page\":\"" + page.pageId()
                    + "\",\"token\":\"wrong\",\"ack\":0}", 403, "BAD_TOKEN");
            assertRefused(server, page.cookieHeader(), "{\"type\":\"hello\",\"page\":\"" + page.pageId()
                    + "\",\"ack\":0}", 400, "MALFORMED");
            assertRefused(server, page.cookieHeader(), "{\"type\":\"ack\",\"ack\":0}", 403, "BAD_TOKEN");
            assertRefused(server, null, hello(page), 403, "NO_HTTP_SESSION_COOKIE");

            PageClient news = new PageClient(server.port());
            news.handshake("/news/");
            assertRefused(server, news.cookieHeader(), hello(news), 403, "MODE_NOT_ALLOWED");
        }
    }

    @Test
    void aCutSocketResumesWithNothingLostAndNothingTwice() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            long applied = 0;
            for (int round = 0; round < 5; round++) {
                try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                    socket.hello(page, applied);
                    assertEquals("open", socket.next().get("type").getAsString());
                    for (int i = 1; i <= 100; i++) {
                        server.pagewire().pages().forPath("/room/").call("ui.add", round * 100 + i);
                    }
                    applied = readUpdates(socket, applied, applied + 60); // then the cut, mid-stream
                    socket.cut();
                }
            }
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, applied);
                assertEquals(500, readUpdates(socket, applied, 500));
            }
        }
    }

    @Test
    void aSlowReaderIsCutAndResumesWithNothingLost() throws Exception {
        String big = "x".repeat(32 * 1024);
        try (TestServer server = TestServer.start(builder().websocketSendTimeout(Duration.ofSeconds(1))
                .sseHeartbeat(Duration.ofMillis(500)).maxQueuedChars(64 << 20).maxQueuedUpdates(5000))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            LivePage live = server.pagewire().pageRegistry.find(page.pageId());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.stopReading();
                for (int i = 1; i <= 1000; i++) {
                    server.pagewire().pages().forPath("/room/").call("ui.add", i, big);
                }
                Wait.until("the slow reader's socket to be closed", 30, () -> live.queue().waiter() == null);
            }
            assertEquals(1000, live.queue().depth(), "nothing was dropped from the page's queue");
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals(1000, readUpdates(socket, 0, 1000));
            }
        }
    }

    @Test
    void aReaderThatLetsRepliesPileUpIsCutAndCallsAgainOnItsNextSocket() throws Exception {
        String big = "y".repeat(400 * 1024);
        try (TestServer server = TestServer.start(builder().maxBodyBytes(1 << 20))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            LivePage live = server.pagewire().pageRegistry.find(page.pageId());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.stopReading();
                // Each reply is written by the thread that made it; once the connection's buffers are
                // full, that write waits at most 2 s, and the socket is cut.
                try {
                    for (int i = 1; i <= 200 && live.queue().waiter() != null; i++) {
                        socket.send(echoFrame(i, big));
                    }
                } catch (CompletionException cut) {
                    // the server cut the connection while this side was still sending: as intended
                }
                Wait.until("the socket of a page that does not read its replies to be closed", 30,
                        () -> live.queue().waiter() == null);
            }
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.send(echoFrame(1000, "again"));
                assertEquals("again", socket.next("replies").getAsJsonArray("replies").get(0).getAsJsonObject()
                        .get("result").getAsString(), "the page calls again on its next socket");
            }
        }
    }

    @Test
    void aBurstThatOverflowsThePagesQueueWhileAFrameIsInFlightIsAResyncOnTheOpenSocket() throws Exception {
        String big = "z".repeat(1 << 20);
        try (TestServer server = TestServer.start(builder().maxQueuedUpdates(30).maxQueuedChars(256L << 20))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/room/");
            LivePage live = server.pagewire().pageRegistry.find(page.pageId());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                socket.stopReading();
                for (int i = 1; i <= 29; i++) { // 29 MB: far more than the connection's buffers take
                    server.pagewire().pages().forPath("/room/").call("ui.add", i, big);
                }
                Wait.until("the first frames on their way", 10, () -> live.queue().waiter().written() >= 1);
                for (int i = 30; i <= 40; i++) { // past maxQueuedUpdates while a frame is in flight
                    server.pagewire().pages().forPath("/room/").call("ui.add", i, "small");
                }
                socket.resumeReading();
                boolean resync = false;
                while (!resync) {
                    JsonObject frame = socket.next("updates");
                    for (JsonElement update : frame.getAsJsonArray("updates")) {
                        resync |= update.getAsJsonObject().has("resync");
                    }
                }
                assertTrue(!socket.isClosed(), "the resync came on the same, open socket");
            }
        }
    }

    private static void assertRefused(TestServer server, String cookie, String hello, int status, String code)
            throws Exception {
        try (SocketClient socket = SocketClient.open(server.port(), cookie, null)) {
            socket.send(hello);
            JsonObject refused = socket.next();
            assertEquals("refused", refused.get("type").getAsString());
            assertEquals(status, refused.get("status").getAsInt(), refused.toString());
            assertEquals(code, refused.getAsJsonObject("error").get("code").getAsString());
            assertEquals(1008, socket.closeCode(10));
        }
    }

    /**
     * Reads update frames until {@code until} is applied, as the engine does: strictly in order,
     * each number once; the first argument of update n is n. Fails on a gap or a repeat.
     *
     * @return the highest number applied
     */
    private static long readUpdates(SocketClient socket, long after, long until) throws InterruptedException {
        long applied = after;
        while (applied < until) {
            JsonObject frame = socket.next("updates");
            for (JsonElement e : frame.getAsJsonArray("updates")) {
                long seq = e.getAsJsonObject().get("seq").getAsLong();
                assertEquals(applied + 1, seq, "updates in order, each once: " + frame);
                assertEquals(seq, e.getAsJsonObject().getAsJsonArray("args").get(0).getAsLong());
                applied = seq;
            }
        }
        return applied;
    }

    private static String hello(PageClient page) {
        return "{\"type\":\"hello\",\"page\":\"" + page.pageId() + "\",\"token\":\"" + page.token() + "\",\"ack\":0}";
    }

    private static String callFrame(long batch, long ack, String proxy, String method) {
        return "{\"type\":\"call\",\"batch\":" + batch + ",\"ack\":" + ack + ",\"calls\":[{\"id\":1,\"proxy\":\""
                + proxy + "\",\"method\":\"" + method + "\",\"args\":[]}]}";
    }
}
