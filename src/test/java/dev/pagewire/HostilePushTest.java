package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Pushed strings arrive as data, byte for byte, never as markup or code. See {@link HostileFixture} for what every case expects. */
class HostilePushTest extends HostileFixture {
    // =====================================================================================
    // Pushed strings arrive as data, byte for byte, never as markup or code
    // =====================================================================================

    static final List<String> HOSTILE_STRINGS = List.of("<script>alert(1)</script>", "</script>",
            "</script><script>alert(document.cookie)</script>", "\u2028", "\u2029", "a\u2028b\u2029c", "{{7*7}}",
            "${7*7}", "#{7*7}", "<%= 7*7 %>", "\"); alert(1); //", "'-alert(1)-'", "\\\"</script>", "<!--", "-->",
            "]]>", "<![CDATA[x]]>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "\u0000", "\r\n\r\n",
            "line\n\ndata: {\"seq\":99,\"script\":\"alert(1)\"}\n\n", "event: refused\ndata: {}", "\uFEFF", "\uD83D\uDE00",
            "\u202Eevil", "&lt;&#60;&#x3c;", "\\u003cscript\\u003e", "%3Cscript%3E", "x".repeat(10_000));

    @TestFactory
    Stream<DynamicTest> pushedStringsArriveAsDataByteForByte() {
        return HOSTILE_STRINGS.stream().map(s -> dynamicTest("push " + label(s), () -> {
            PageClient target = new PageClient(server.port());
            target.handshake("/push/");
            PageGroup group = pagewire.pages().byId(target.pageId());
            group.call("ui.show", s);
            group.proxy(Ui.class).show(s);

            PageClient.Reply polled = target.post("/poll", "{\"ack\":0}", target.pageHeaders());
            assertEquals(200, polled.status(), polled.body());
            assertTrue(polled.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("nosniff", polled.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
            assertPushedExactly(s, polled.json().getAsJsonArray("updates"));

            // Passive delivery: the same updates ride on a call reply.
            PageClient.Reply passive = target.post("/call", "{\"ack\":0,\"calls\":[]}", target.pageHeaders());
            assertPushedExactly(s, passive.json().getAsJsonArray("updates"));
            assertHealthy();
        }));
    }

    /**
     * Over SSE each update must be one {@code data:} line that parses back to the exact string (no
     * newline in a string may end the line or inject an {@code event:}). (Strings over 1,000
     * characters are left to {@link #largeUpdatesOverSseArriveWithoutWaitingForAHeartbeat}.)
     */
    @Test
    void pushedStringsCannotBreakServerSentEventFraming() throws IOException {
        List<String> strings = HOSTILE_STRINGS.stream().filter(s -> s.length() < 1000).toList();
        PageClient target = new PageClient(server.port());
        target.handshake("/push-sse/");
        PageGroup group = pagewire.pages().byId(target.pageId());
        for (String s : strings) {
            group.call("ui.show", s);
        }
        try (Sse stream = new Sse(server.port(), target)) {
            for (int i = 0; i < strings.size(); i++) {
                JsonObject update = stream.nextUpdate("update " + (i + 1) + " (" + label(strings.get(i)) + ")");
                assertEquals(i + 1, update.get("seq").getAsLong());
                assertEquals(strings.get(i), update.getAsJsonArray("args").get(0).getAsString());
            }
        }
        assertHealthy();
    }

    /**
     * An update larger than the container's 8 KiB response buffer must reach an open stream at
     * once, not when the next heartbeat happens to flush it. The server here has a 10-minute
     * heartbeat (so no housekeeping tick falls inside the test); each update gets 3 seconds.
     */
    @Test
    void largeUpdatesOverSseArriveWithoutWaitingForAHeartbeat() throws IOException {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Echo()).sseHeartbeat(Duration.ofMinutes(10)))) {
            Pagewire quiet = other.pagewire();
            PageClient target = other.page("/big-sse/");
            PageGroup group = quiet.pages().byId(target.pageId());
            try (Sse stream = new Sse(other.port(), target)) {
                int seq = 0;
                for (int size : new int[] {100, 9_000, 100, 100_000, 100}) {
                    String s = "<x>".repeat(size / 3);
                    group.call("ui.show", s);
                    JsonObject update = stream.nextUpdate("a pushed update of " + s.length() + " characters");
                    assertEquals(++seq, update.get("seq").getAsLong());
                    assertEquals(s, update.getAsJsonArray("args").get(0).getAsString());
                }
            }
        }
        assertHealthy();
    }

    /** An SSE stream read over a raw socket, each read bounded by a 3-second timeout. */
    private static final class Sse implements AutoCloseable {
        private final Socket socket;
        private final InputStream body;

        Sse(int port, PageClient page) throws IOException {
            socket = new Socket("localhost", port);
            socket.setSoTimeout(3000);
            String path = "/pagewire/stream?page=" + page.pageId() + "&token=" + page.token() + "&ack=0";
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nCookie: " + page.cookieHeader() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String status = RawHttp.readLine(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            boolean chunked = false;
            for (String h = RawHttp.readLine(in); !h.isEmpty(); h = RawHttp.readLine(in)) {
                chunked |= h.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
            }
            body = chunked ? new Dechunked(in) : in;
        }

        /** The next update: only id, retry, comment and data lines may come; never an injected event. */
        JsonObject nextUpdate(String what) throws IOException {
            while (true) {
                String line;
                try {
                    line = readUtf8Line(body);
                } catch (java.net.SocketTimeoutException e) {
                    fail(what + " was not delivered within 3 s");
                    return null;
                }
                if (line.isEmpty() || line.startsWith("id: ") || line.startsWith("retry: ") || line.startsWith(":")) {
                    continue;
                }
                if (line.equals("event: hb")) {
                    assertEquals("data: {}", readUtf8Line(body), "a heartbeat");
                    continue;
                }
                assertTrue(line.startsWith("data: "), "only id, retry, heartbeat and data lines, no injected event; got: "
                        + clip(line));
                JsonObject update = JsonParser.parseString(line.substring(6)).getAsJsonObject();
                assertEquals(java.util.Set.of("seq", "call", "args"), update.keySet(), "a call, never a script");
                assertEquals("ui.show", update.get("call").getAsString());
                return update;
            }
        }

        @Override
        public void close() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    /** The body of a chunked response, without the chunk framing. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                String size = RawHttp.readLine(in);
                if (size.isEmpty()) {
                    size = RawHttp.readLine(in);
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            left--;
            return in.read();
        }
    }

    private static String readUtf8Line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("stream ended");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hostileFunctionNamesAndScriptPushesAreRefusedOnTheServer() {
        PageGroup group = pagewire.pages().byId(page.pageId());
        for (String function : List.of("</script><script>alert(1)", "ui.show()", "ui['show']", "alert(1)//", "", "ui..show",
                "ui.show;alert(1)", "\u2028", "ui.show\n")) {
            assertThrows(IllegalArgumentException.class, () -> group.call(function, "x"), function);
        }
        assertThrows(IllegalStateException.class, () -> group.script(new ScriptBuffer().appendScript("alert(1)")),
                "script updates are off by default");
        assertEquals(0, pagewire.pageRegistry.find(page.pageId()).queue().depth(), "nothing was queued");
        assertHealthy();
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    // Helpers
    // =====================================================================================

    private static void assertPushedExactly(String expected, JsonArray updates) {
        assertNotNull(updates, "updates");
        assertEquals(2, updates.size(), updates.toString().length() > 300 ? "2 updates" : updates.toString());
        for (JsonElement e : updates) {
            JsonObject update = e.getAsJsonObject();
            assertEquals(java.util.Set.of("seq", "call", "args"), update.keySet(), "a call, never a script");
            assertEquals("ui.show", update.get("call").getAsString());
            JsonArray args = update.getAsJsonArray("args");
            assertEquals(1, args.size());
            assertTrue(args.get(0).isJsonPrimitive() && args.get(0).getAsJsonPrimitive().isString());
            assertEquals(expected, args.get(0).getAsString(), "byte for byte after JSON parsing");
        }
    }
}
