package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Sizes: bodies and batches over the limits are refused, large values within them are answered. See {@link HostileFixture} for what every case expects. */
class HostileSizesTest extends HostileFixture {
    // =====================================================================================
    // Sizes: bodies over the limit, batches over the limit, large values within the limits
    // =====================================================================================

    /** 100 MB declared: refused on Content-Length before the body is read. */
    @Test
    void hundredMegabytesDeclaredIs413BeforeTheBodyIsRead() throws IOException {
        long hundredMb = 100L << 20;
        Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), hundredMb,
                hugeStringBody(hundredMb));
        assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
        assertTrue(r.written() < (16L << 20), "refused long before 100 MB were sent: " + r.written());
        assertHealthy();
    }

    /** 100 MB chunked (no Content-Length): refused once more than maxBodyBytes arrived. */
    @Test
    void hundredMegabytesChunkedIs413WhenTheLimitIsPassed() throws IOException {
        long hundredMb = 100L << 20;
        Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), -1, hugeStringBody(hundredMb));
        assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
        assertTrue(r.written() < (16L << 20), "refused soon after the 1 MiB limit: " + r.written());
        assertHealthy();
    }

    /**
     * 100,000 calls (about 6 MB). The endpoints check the declared size before reading (PROTOCOL.md,
     * CONFIGURATION.md: "checked against Content-Length and while reading"), then count calls while
     * reading. So: declared over maxBodyBytes gives 413 first; streamed, whichever limit the reader
     * passes first wins.
     */
    @TestFactory
    Stream<DynamicTest> hundredThousandCallsInOneBatch() {
        int calls = 100_000;
        long size = manyCallsSize(calls);
        return Stream.of(
                dynamicTest("defaults, Content-Length declared: 413 before reading", () -> {
                    Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), size, manyCalls(calls));
                    assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
                    assertHealthy();
                }),
                dynamicTest("defaults, chunked: the 101st call comes long before 1 MiB: TOO_MANY_CALLS", () -> {
                    Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), -1, manyCalls(calls));
                    assertStreamedRefusal(r, 400, "TOO_MANY_CALLS");
                    assertTrue(r.written() < (8L << 20), "refused early: " + r.written());
                    assertHealthy();
                }),
                dynamicTest("maxBodyBytes 16 MiB, Content-Length declared: TOO_MANY_CALLS", () ->
                        withServer(b -> b.maxBodyBytes(16L << 20), client -> {
                            Streamed r = stream(client.port, "/pagewire/call", sessionRawHeaders(client.page), size,
                                    manyCalls(calls));
                            assertStreamedRefusal(r, 400, "TOO_MANY_CALLS");
                        })),
                dynamicTest("maxCallsPerBatch 1,000,000, chunked: the byte limit comes first: 413", () ->
                        withServer(b -> b.maxCallsPerBatch(1_000_000), client -> {
                            Streamed r = stream(client.port, "/pagewire/call", sessionRawHeaders(client.page), -1,
                                    manyCalls(calls));
                            assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
                        })));
    }

    @Test
    void exactlyMaxCallsPerBatchPassesAndOneMoreIsRefused() {
        StringBuilder hundred = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            hundred.append(i == 0 ? "" : ",").append("{\"id\":").append(i)
                    .append(",\"proxy\":\"Echo\",\"method\":\"echoInt\",\"args\":[").append(i).append("]}");
        }
        PageClient.Reply ok = page.calls(hundred + "]");
        assertEquals(200, ok.status(), ok.body());
        JsonArray replies = ok.json().getAsJsonArray("replies");
        assertEquals(100, replies.size());
        assertEquals(99, replies.get(99).getAsJsonObject().get("result").getAsInt());
        assertRefused(page.calls(hundred + ",{\"id\":100,\"proxy\":\"Echo\",\"method\":\"echoInt\",\"args\":[1]}]"),
                400, "TOO_MANY_CALLS");
        assertHealthy();
    }

    @TestFactory
    Stream<DynamicTest> largeValuesWithinTheLimitsWork() {
        return Stream.of(
                dynamicTest("a 1,000,000-character string round-trips", () -> {
                    // 100 characters in 102 bytes once escaped: the body stays under 1 MiB.
                    String big = ("<\"\u00e9" + "x".repeat(97)).repeat(10_000);
                    String json = new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(big);
                    PageClient.Reply r = page.calls("[" + oneCall("echo", json) + "]");
                    assertEquals(200, r.status(), () -> clip(r.body()));
                    assertEquals(big, r.json().getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString());
                    assertHealthy();
                }),
                dynamicTest("400,000 ints", () -> {
                    String ints = "[" + "1,".repeat(399_999) + "1]";
                    assertEquals(400_000, page.callRaw("Echo", "sum", "[" + ints + "]").get("result").getAsLong());
                    assertHealthy();
                }),
                dynamicTest("200,000 strings", () -> {
                    String strings = "[" + "\"\",".repeat(199_999) + "\"\"]";
                    assertEquals(200_000, page.callRaw("Echo", "count", "[" + strings + "]").get("result").getAsInt());
                    assertHealthy();
                }),
                dynamicTest("100,000 escaped NULs round-trip", () -> {
                    String json = "\"" + "\\u0000".repeat(100_000) + "\"";
                    assertEquals("\u0000".repeat(100_000), page.callRaw("Echo", "echo", "[" + json + "]").get("result").getAsString());
                    assertHealthy();
                }),
                dynamicTest("a 1,000-digit BigDecimal as a number", () -> {
                    String n = "9".repeat(1_000);
                    assertEquals(new BigDecimal(n).add(BigDecimal.ONE),
                            page.callRaw("Echo", "plusOne", "[" + n + "]").get("result").getAsBigDecimal());
                    assertHealthy();
                }),
                dynamicTest("a 9,000-digit BigDecimal as a string", () -> {
                    String n = "9".repeat(9_000);
                    assertEquals(new BigDecimal(n).add(BigDecimal.ONE),
                            page.callRaw("Echo", "plusOne", "[\"" + n + "\"]").get("result").getAsBigDecimal());
                    assertHealthy();
                }),
                dynamicTest("a number literal longer than the reader takes (2,000 digits) is MALFORMED", () -> {
                    String n = "9".repeat(2_000);
                    assertRefused(page.calls("[" + oneCall("plusOne", n) + "]"), 400, "MALFORMED", n);
                    assertHealthy();
                }));
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static void assertStreamedRefusal(Streamed r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, errorCode(r.body()), r.body());
        assertNoInternals(r.body());
    }

    private static Map<String, String> sessionRawHeaders(PageClient client) {
        return Map.of("Cookie", client.cookieHeader(), "Pagewire-Page", client.pageId(),
                "Pagewire-Token", client.token(), "Content-Type", "application/json");
    }

    /** A second server with other limits, for one case. */
    private static void withServer(Function<Pagewire.Builder, Pagewire.Builder> limits, CheckedConsumer<OtherServer> body)
            throws Throwable {
        try (TestServer s = TestServer.start(limits.apply(Pagewire.builder().expose(new Echo()).handshakesPerMinute(1_000_000)))) {
            PageClient client = s.page("/limits/");
            body.accept(new OtherServer(s.port(), client));
            PageClient.Reply ok = client.calls("[" + oneCall("echo", "\"ok\"") + "]");
            assertEquals(200, ok.status(), "that server is still healthy: " + ok.body());
        }
    }

    private record OtherServer(int port, PageClient page) {
    }

    private interface CheckedConsumer<T> {
        void accept(T t) throws Throwable;
    }

    /** {@code {"calls":[{"id":1,"proxy":"Echo","method":"echo","args":["xxxx...` up to {@code size} bytes. */
    private static InputStream hugeStringBody(long size) {
        byte[] head = "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"".getBytes(StandardCharsets.US_ASCII);
        return generated(size, i -> i < head.length ? head[(int) i] : (byte) 'x');
    }

    private static String callJson(int i) {
        return (i == 0 ? "" : ",") + "{\"id\":" + i + ",\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}";
    }

    private static long manyCallsSize(int calls) {
        long size = "{\"calls\":[".length() + "]}".length();
        for (int i = 0; i < calls; i++) {
            size += callJson(i).length();
        }
        return size;
    }

    /** The {@code {"calls":[...]}} body of {@code calls} calls, generated as it is read. */
    private static InputStream manyCalls(int calls) {
        return new InputStream() {
            private int next;
            private byte[] chunk = "{\"calls\":[".getBytes(StandardCharsets.US_ASCII);
            private int pos;
            private boolean done;

            @Override
            public int read() {
                while (pos == chunk.length) {
                    if (done) {
                        return -1;
                    }
                    if (next < calls) {
                        chunk = callJson(next++).getBytes(StandardCharsets.US_ASCII);
                    } else {
                        chunk = "]}".getBytes(StandardCharsets.US_ASCII);
                        done = true;
                    }
                    pos = 0;
                }
                return chunk[pos++];
            }
        };
    }
}
