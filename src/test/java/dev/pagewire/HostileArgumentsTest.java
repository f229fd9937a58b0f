package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Arguments that do not fit (200 with a per-call {@code BAD_ARGUMENTS}) and deep nesting (400 {@code MALFORMED}, wherever it is). See {@link HostileFixture} for what every case expects. */
class HostileArgumentsTest extends HostileFixture {
    // =====================================================================================
    // Arguments that do not fit: 200 with a per-call BAD_ARGUMENTS
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> argumentsOfTheWrongTypeFailTheirCallAlone() {
        Object[][] cases = {
                {"echoInt", "\"two\"", int.class}, {"echoInt", "true", int.class}, {"echoInt", "{}", int.class},
                {"echoInt", "[1]", int.class}, {"echoInt", "null", int.class}, {"echo", "{}", String.class},
                {"echo", "[\"x\"]", String.class}, {"point", "\"java.io.File\"", Point.class},
                {"point", "[1,2]", Point.class}, {"point", "5", Point.class},
                {"point", "{\"x\":\"1e400\",\"y\":0}", Point.class}, {"point", "{\"x\":{\"@class\":\"java.io.File\"},\"y\":0}", Point.class},
                {"point", "{\"x\":null,\"y\":0}", Point.class},
                {"points", "{}", pointsType()}, {"points", "[5]", pointsType()}, {"points", "[\"java.io.File\"]", pointsType()},
                {"color", "\"PURPLE\"", Color.class}, {"color", "\"" + CANARY + "\"", Color.class},
                {"color", "0", Color.class}, {"color", "\"red\"", Color.class},
                {"sum", "{\"0\":1}", int[].class}, {"sum", "[1,\"x\"]", int[].class}, {"sum", "[1.5]", int[].class},
                {"sum", "[[1]]", int[].class}, {"map", "\"x\"", mapType()}, {"map", "{\"a\":{}}", mapType()},
                {"map", "{\"a\":[\"b\"]}", mapType()}, {"twice", "\"1e5\"", BigInteger.class},
                {"twice", "\"" + "9".repeat(10_001) + "\"", BigInteger.class},
        };
        return Stream.of(cases).map(c -> dynamicTest(c[0] + "(" + label((String) c[1]) + ")", () -> {
            JsonObject error = callError(page.calls(one((String) c[0], (String) c[1])), "BAD_ARGUMENTS",
                    (Type) c[2], (String) c[1]);
            String message = error.get("message").getAsString();
            assertTrue(message.contains("argument 0"), "names the index: " + message);
            assertTrue(message.contains(((Type) c[2]).getTypeName()), "names the declared type: " + message);
            assertEquals(0, CANARY_TOUCHES.get(), "no class named by the client was initialised");
            assertHealthy();
        }));
    }

    @TestFactory
    Stream<DynamicTest> numbersOutOfRangeFailTheirCallAlone() {
        Object[][] refused = {
                {"echoInt", "2147483648"}, {"echoInt", "-2147483649"}, {"echoInt", "1e400"}, {"echoInt", "-0.5"},
                {"echoInt", "1.5"}, {"echoInt", "\"NaN\""}, {"echoInt", "1e999999999"}, {"echoInt", "1e-999999999"},
                {"echoInt", "\"2147483648\""}, {"echoLong", "9223372036854775808"}, {"echoLong", "-9223372036854775809"},
                {"echoLong", "1e19"}, {"echoLong", "1e400"}, {"echoLong", "\"NaN\""}, {"echoByte", "128"},
                {"echoByte", "-129"}, {"echoByte", "1e400"}, {"echoByte", "0.5"}, {"echoDouble", "1e400"},
                {"echoDouble", "-1e400"}, {"echoDouble", "\"NaN\""}, {"echoDouble", "\"Infinity\""},
                {"echoDouble", "\"-Infinity\""}, {"echoDouble", "1e999999999"}, {"echoDouble", "\"\""},
                {"plusOne", "1e999999999"}, {"plusOne", "1e-999999999"}, {"plusOne", "\"NaN\""},
        };
        Object[][] accepted = {
                {"echoInt", "2147483647", "2147483647"}, {"echoInt", "-2147483648", "-2147483648"},
                {"echoInt", "1e2", "100"}, {"echoInt", "\"42\"", "42"}, {"echoInt", "-0", "0"},
                {"echoLong", "\"-9007199254740991\"", "-9007199254740991"},
                {"echoByte", "-128", "-128"}, {"echoDouble", "-0.5", "-0.5"}, {"echoDouble", "1.7976931348623157e308",
                "1.7976931348623157E308"}, {"plusOne", "1e3", "1001"},
        };
        Stream<DynamicTest> no = Stream.of(refused).map(c -> dynamicTest(c[0] + "(" + c[1] + ") is refused", () -> {
            Type type = Echo.class.getMethod((String) c[0], paramTypeOf((String) c[0])).getGenericParameterTypes()[0];
            long start = System.nanoTime();
            callError(page.calls(one((String) c[0], (String) c[1])), "BAD_ARGUMENTS", type, (String) c[1]);
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "answered quickly");
            assertHealthy();
        }));
        Stream<DynamicTest> yes = Stream.of(accepted).map(c -> dynamicTest(c[0] + "(" + c[1] + ") is accepted", () -> {
            JsonObject reply = page.callRaw("Echo", (String) c[0], "[" + c[1] + "]");
            assertTrue(reply.has("result"), reply.toString());
            assertEquals(new BigDecimal((String) c[2]), reply.get("result").getAsBigDecimal(), reply.toString());
            assertHealthy();
        }));
        return Stream.concat(no, yes);
    }

    /**
     * Numbers may come as JSON strings (PROTOCOL.md: how pages send longs beyond 2^53). A string of
     * a million digits fits in the default 1 MiB body; turning it into an int must not cost seconds
     * of CPU (parsing a decimal string into a BigDecimal is quadratic in its length), or one
     * request a second keeps a core busy. Expected: BAD_ARGUMENTS, promptly.
     */
    @Test
    void aMillionDigitNumericStringForAnIntIsRefusedPromptly() {
        String digits = "\"" + "9".repeat(1_000_000) + "\"";
        HttpRequest request = HttpRequest.newBuilder(uri("/call")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").header("Pagewire-Page", page.pageId())
                .header("Pagewire-Token", page.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"calls\":[" + oneCall("echoInt", digits) + "]}")).build();
        long start = System.nanoTime();
        PageClient.Reply r;
        try {
            r = page.send(request);
        } catch (UncheckedIOException e) {
            fail("no answer within 5 s to a 1,000,000-digit int argument (" + e.getCause() + ")");
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        callError(r, "BAD_ARGUMENTS", int.class, "9".repeat(200));
        assertTrue(millis < 3000, "took " + millis + " ms");
        assertHealthy();
    }

    // =====================================================================================
    // Deep nesting: 400 MALFORMED, wherever it is
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> tenThousandDeepNestingIsMalformed() {
        int n = 10_000;
        String arrays = "[".repeat(n) + "]".repeat(n);
        String objects = "{\"a\":".repeat(n) + "1" + "}".repeat(n);
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("arrays inside args", new String[] {"/call", "{\"calls\":[" + oneCall("echoInt", arrays) + "]}"});
        cases.put("objects inside args", new String[] {"/call", "{\"calls\":[" + oneCall("point", objects) + "]}"});
        cases.put("unclosed arrays inside args", new String[] {"/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":" + "[".repeat(n)});
        cases.put("arrays as an unknown call member", new String[] {"/call", "{\"calls\":[{\"id\":1,\"x\":" + arrays + ",\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"});
        cases.put("objects as an unknown top-level member", new String[] {"/call", "{\"x\":" + objects + ",\"calls\":[]}"});
        cases.put("arrays at top level", new String[] {"/call", arrays});
        cases.put("objects at top level", new String[] {"/call", objects});
        cases.put("arrays as calls", new String[] {"/call", "{\"calls\":" + arrays + "}"});
        cases.put("arrays as ack", new String[] {"/call", "{\"ack\":" + arrays + ",\"calls\":[]}"});
        cases.put("poll body", new String[] {"/poll", "{\"x\":" + arrays + ",\"ack\":0}"});
        cases.put("ack body", new String[] {"/ack", "{\"x\":" + objects + ",\"ack\":0}"});
        cases.put("handshake body", new String[] {"/handshake", "{\"x\":" + arrays + ",\"path\":\"/\"}"});
        return cases.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            String path = e.getValue()[0];
            PageClient.Reply r = path.equals("/handshake")
                    ? new PageClient(server.port()).post(path, e.getValue()[1], Map.of())
                    : page.post(path, e.getValue()[1], page.pageHeaders());
            assertRefused(r, 400, "MALFORMED");
            assertHealthy();
        }));
    }

    @Test
    void nestingWithinTheLimitReachesTheMethodAndFailsOnlyItsCall() {
        // The batch takes 4 levels (object, calls, call, args); 50 more stay under the default 64.
        String nested = "[".repeat(50) + "]".repeat(50);
        PageClient.Reply r = page.calls("[" + oneCall("echoInt", nested) + ","
                + "{\"id\":2,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"after\"]}]");
        callError(r, "BAD_ARGUMENTS", int.class);
        assertEquals("after", r.json().getAsJsonArray("replies").get(1).getAsJsonObject().get("result").getAsString());
        assertHealthy();
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static Class<?> paramTypeOf(String method) {
        for (var m : Echo.class.getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == 1) {
                return m.getParameterTypes()[0];
            }
        }
        throw new IllegalArgumentException(method);
    }

    private static Type pointsType() {
        try {
            return Echo.class.getMethod("points", List.class).getGenericParameterTypes()[0];
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Type mapType() {
        try {
            return Echo.class.getMethod("map", Map.class).getGenericParameterTypes()[0];
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
