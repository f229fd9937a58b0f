package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile requests against a real embedded Tomcat (port 0) serving Pagewire with its documented
 * default limits. Every case expects one specific, clean answer (see {@code docs/PROTOCOL.md}):
 * a refusal of the whole request (status and {@code {"error":{"code":..}}}), or a {@code 200}
 * whose per-call reply carries the error code. After every case the server must still answer a
 * normal call.
 *
 * <p><b>What "no internals" means here</b> ({@link #assertNoInternals}): a body must not contain
 * {@code Exception}, a stack frame ({@code "\tat "}, {@code "at dev."}, {@code "at java."}), or a
 * package name of the JDK, gson, Tomcat or Pagewire ({@code java.lang}, {@code java.io},
 * {@code com.google}, {@code org.apache}, {@code dev.pagewire.}). Two things are legitimately
 * removed before that check: (1) the declared type of the parameter a {@code BAD_ARGUMENTS}
 * message names (PROTOCOL.md: "names the parameter index and the expected type", so
 * {@code java.lang.String} or {@code java.util.List<dev.pagewire.HostileInputTest$Point>} may
 * appear), and (2) input the client itself sent that a message quotes back (an unknown proxy
 * named {@code java.lang.Runtime}).
 *
 * <p><b>Decisions</b> where the documents leave room:
 * <ul>
 *   <li>The envelope is typed as PROTOCOL.md shows it: {@code id} and {@code ack} are JSON numbers
 *       (a whole number that fits a long; {@code ack} not negative, as {@code POST poll} and
 *       {@code POST ack} already require), {@code proxy} and {@code method} JSON strings. Anything
 *       else is "not JSON of the expected shape": 400 {@code MALFORMED}. (Arguments are different:
 *       a number may come as a string there, as documented.)</li>
 *   <li>A number literal longer than the JSON reader takes (about 1,000 digits) may be refused as
 *       {@code MALFORMED}; a numeric string of any length within the body limit must be answered
 *       promptly.</li>
 *   <li>A body over {@code maxBodyBytes} that declares its length is refused before it is read
 *       (413 first); while reading, whichever limit the reader passes first decides.</li>
 *   <li>Path tricks on {@code /interface/} may end in Tomcat's 400 (a URI it refuses) or
 *       Pagewire's 404; one that normalises to another endpoint answers as that endpoint does
 *       ({@code interface/../call} is a GET on {@code /call}: 405). A path parameter
 *       ({@code Echo.js;jsessionid=x}) is stripped by the container, so the same public script
 *       byte for byte is acceptable too. Whatever the status, no body may hold file content or a
 *       stack trace, including the container's own error pages.</li>
 *   <li>The generated proxy scripts name the exposed class in a comment; that is the public
 *       script itself, so 200 replies identical to it are not checked for internals.</li>
 *   <li>A record whose constructor refuses the values is an argument that does not fit:
 *       {@code BAD_ARGUMENTS} for that call alone.</li>
 * </ul>
 *
 * <p>Cases that name a regression found by {@link RequestFuzzTest} say so in their name. Cases
 * that fail today and the proposed fixes are listed in the hand-over report; none is weakened.
 */
class HostileInputTest {
    // ---- What the server exposes ----

    public record Point(int x, int y) {
    }

    /** A record that validates in its constructor, as applications do. */
    public record Checked(String name, int n) {
        public Checked {
            Objects.requireNonNull(name, "name");
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative");
            }
        }
    }

    public enum Color { RED, GREEN }

    /** Counts initialisations and instances of {@link Canary}; reading it does not load Canary. */
    static final AtomicInteger CANARY_TOUCHES = new AtomicInteger();

    /** Named in type hints; no request may ever initialise or instantiate it. */
    public static final class Canary {
        static {
            CANARY_TOUCHES.incrementAndGet();
        }

        public Canary() {
            CANARY_TOUCHES.incrementAndGet();
        }
    }

    static final String CANARY = Canary.class.getName();

    /** Counts calls of {@code Echo.bump()}: a refused request must run nothing. */
    static final AtomicInteger BUMPS = new AtomicInteger();

    /** A plain class (no annotations): its own public instance methods are exposed, Object's never. */
    public static class Echo {
        public String echo(String s) {
            return s;
        }

        public int echoInt(int v) {
            return v;
        }

        public long echoLong(long v) {
            return v;
        }

        public byte echoByte(byte v) {
            return v;
        }

        public double echoDouble(double v) {
            return v;
        }

        public BigDecimal plusOne(BigDecimal v) {
            return v.add(BigDecimal.ONE);
        }

        public BigInteger twice(BigInteger v) {
            return v.shiftLeft(1);
        }

        public Point point(Point p) {
            return p;
        }

        public List<Point> points(List<Point> points) {
            return points;
        }

        public String checked(Checked c) {
            return c.name() + c.n();
        }

        public Color color(Color c) {
            return c;
        }

        public long sum(int[] values) {
            long sum = 0;
            for (int v : values) {
                sum += v;
            }
            return sum;
        }

        public int count(List<String> values) {
            return values.size();
        }

        public Map<String, String> map(Map<String, String> map) {
            return map;
        }

        public int bump() {
            return BUMPS.incrementAndGet();
        }

        public static String staticHelper() {
            return "static";
        }

        String packagePrivate() {
            return "package";
        }

        @Override
        public String toString() {
            return "Echo internals";
        }

        @Override
        public int hashCode() {
            return 42;
        }
    }

    public static class Base {
        public String inherited() {
            return "inherited";
        }
    }

    /** A plain subclass: only its own declared methods are exposed. */
    public static class Child extends Base {
        public String own() {
            return "own";
        }
    }

    @RemoteProxy(name = "Guarded")
    public static class Guarded {
        @RemoteMethod
        public String visible() {
            return "visible";
        }

        public String hidden() {
            return "hidden";
        }

        @Override
        public String toString() {
            return "Guarded internals";
        }
    }

    @PageInterface("ui")
    public interface Ui {
        void show(String text);
    }

    private static Pagewire pagewire;
    private static PagewireServer server;
    private static PageClient page;

    @BeforeAll
    static void start() {
        pagewire = Pagewire.builder().expose(new Echo()).expose(Guarded.class).expose(new Child())
                .handshakesPerMinute(1_000_000).build(); // hundreds of pages from one address
        server = PagewireServer.create(pagewire).start(0);
        page = new PageClient(server.port());
        page.handshake("/hostile/");
        CANARY_TOUCHES.set(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (pagewire != null) {
            pagewire.close();
        }
    }

    // =====================================================================================
    // Malformed and truncated JSON: 400 MALFORMED
    // =====================================================================================

    static final String VALID_BATCH = "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\","
            + "\"args\":[\"x\"]},{\"id\":2,\"proxy\":\"Echo\",\"method\":\"point\",\"args\":[{\"x\":1,\"y\":-2}]}]}";

    @TestFactory
    Stream<DynamicTest> malformedJsonIsRefusedAsAWhole() {
        List<String> bodies = List.of("", " ", "\n\t ", "not json", "null", "true", "42", "\"calls\"", "[]",
                "[{\"calls\":[]}]", "{}", "{\"ack\":0}", "{\"calls\":null}", "{\"calls\":{}}", "{\"calls\":\"[]\"}",
                "{\"calls\":[1]}", "{\"calls\":[[]]}", "{\"calls\":[null]}", "{\"calls\":[{}]}",
                "{\"calls\":[{\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[]}]}",
                "{\"calls\":[{\"id\":1,\"method\":\"echo\",\"args\":[]}]}",
                "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"args\":[]}]}",
                "{'calls':[]}", "{calls:[]}", "{\"calls\":[],}", "{\"calls\":[,]}", "{\"calls\":[],,\"ack\":0}",
                "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\",]}]}",
                "/* c */{\"calls\":[]}", "{\"calls\":[]}// c", "# c\n{\"calls\":[]}",
                call("echoDouble", "NaN"), call("echoDouble", "Infinity"), call("echoDouble", "-Infinity"),
                call("echoInt", "0x10"), call("echoInt", "010"), call("echoInt", "+1"), call("echoDouble", ".5"),
                call("echoDouble", "1."), call("echoInt", "-"), call("echoDouble", "1e"), call("echoDouble", "1e+"),
                call("echo", "\"unterminated"), call("echo", "\"bad escape \\x\""), call("echo", "\"short \\u12\""),
                call("echo", "\"raw \u0001 control\""), call("echo", "\"raw \n newline\""),
                call("echo", "undefined"), call("echo", "'single'"), call("echo", "\"a\" \"b\""),
                "{\"calls\":[]}{\"calls\":[]}", "{\"calls\":[]} trailing", "{\"calls\":[]}]", "{\"calls\":[]}}",
                "{\"calls\" []}", "{\"calls\":}", "{:[]}", "{\"calls\":[]", "{\"calls\":[{\"id\":1}",
                "{\"calls\":[]}\u0000", "\u0000{\"calls\":[]}", "{\"calls\":[\u0000]}");
        Stream<DynamicTest> named = bodies.stream().map(body -> dynamicTest("malformed " + label(body),
                () -> {
                    assertRefused(page.post("/call", body, page.sessionHeaders()), 400, "MALFORMED", body);
                    assertHealthy();
                }));
        Stream<DynamicTest> truncated = IntStream.range(0, VALID_BATCH.length()).mapToObj(n -> {
            String body = VALID_BATCH.substring(0, n);
            return dynamicTest("truncated to " + n + " chars: " + label(body), () -> {
                assertRefused(page.post("/call", body, page.sessionHeaders()), 400, "MALFORMED", body);
                assertHealthy();
            });
        });
        Stream<DynamicTest> bytes = Stream.of(
                new Object[] {"invalid UTF-8 before the object", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, VALID_BATCH)},
                new Object[] {"UTF-16 body", VALID_BATCH.getBytes(StandardCharsets.UTF_16)},
                new Object[] {"lone continuation byte in a key", concat("{\"ca".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0x80}, "lls\":[]".getBytes(StandardCharsets.UTF_8))},
                new Object[] {"random binary", new java.util.Random(7).ints(512, 0, 256)
                        .collect(ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray()})
                .map(c -> dynamicTest("malformed bytes: " + c[0], () -> {
                    assertRefused(postBytes(page, "/call", (byte[]) c[1], "application/json", page.sessionHeaders()),
                            400, "MALFORMED");
                    assertHealthy();
                }));
        return Stream.of(named, truncated, bytes).flatMap(Function.identity());
    }

    @Test
    void validBatchBaselineIsAccepted() {
        PageClient.Reply r = page.post("/call", VALID_BATCH, page.sessionHeaders());
        assertEquals(200, r.status(), r.body());
        JsonArray replies = r.json().getAsJsonArray("replies");
        assertEquals("x", replies.get(0).getAsJsonObject().get("result").getAsString());
        assertEquals(-2, replies.get(1).getAsJsonObject().getAsJsonObject("result").get("y").getAsInt());
    }

    // =====================================================================================
    // Wrong JSON types in the envelope: 400 MALFORMED ("not JSON of the expected shape")
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> wrongTypesInTheEnvelopeAreMalformed() {
        List<DynamicTest> tests = new ArrayList<>();
        String call = "{\"id\":%s,\"proxy\":%s,\"method\":%s,\"args\":%s}";
        for (String id : List.of("\"1\"", "1.5", "null", "true", "{}", "[]", "1e400", "9223372036854775808", "-1e30")) {
            tests.add(callsCase("id as " + id, String.format(call, id, "\"Echo\"", "\"echo\"", "[\"x\"]")));
        }
        for (String proxy : List.of("5", "null", "true", "{}", "[\"Echo\"]")) {
            tests.add(callsCase("proxy as " + proxy, String.format(call, "1", proxy, "\"echo\"", "[\"x\"]")));
        }
        for (String method : List.of("5", "null", "false", "{}", "[\"echo\"]")) {
            tests.add(callsCase("method as " + method, String.format(call, "1", "\"Echo\"", method, "[\"x\"]")));
        }
        for (String args : List.of("{}", "{\"0\":\"x\"}", "\"x\"", "5", "true", "null")) {
            tests.add(callsCase("args as " + args, String.format(call, "1", "\"Echo\"", "\"echo\"", args)));
        }
        for (String calls : List.of("{}", "\"x\"", "5", "null", "[1]", "[[]]", "[\"call\"]", "[true]")) {
            tests.add(bodyCase("/call", "calls as " + calls, "{\"calls\":" + calls + "}"));
        }
        for (String ack : List.of("\"5\"", "\"abc\"", "-1", "-5", "1.5", "true", "null", "{}", "[]", "1e400",
                "9223372036854775808")) {
            tests.add(bodyCase("/call", "call ack as " + ack, "{\"ack\":" + ack + ",\"calls\":[]}"));
            tests.add(bodyCase("/poll", "poll ack as " + ack, "{\"ack\":" + ack + "}"));
            tests.add(bodyCase("/ack", "ack ack as " + ack, "{\"ack\":" + ack + "}"));
        }
        for (String hold : List.of("\"true\"", "1", "null", "{}", "[]")) {
            tests.add(bodyCase("/poll", "poll hold as " + hold, "{\"ack\":0,\"hold\":" + hold + "}"));
        }
        for (String body : List.of("[]", "\"x\"", "5", "null")) {
            tests.add(bodyCase("/poll", "poll body " + body, body));
            tests.add(bodyCase("/ack", "ack body " + body, body));
        }
        for (String pagePath : List.of("5", "null", "[]", "{}", "true", "\"" + "/x".repeat(1500) + "\"")) {
            tests.add(dynamicTest("handshake page as " + label(pagePath), () -> {
                PageClient stranger = new PageClient(server.port());
                String body = "{\"page\":" + pagePath + "}";
                assertRefused(stranger.post("/session", body, Map.of()), 400, "MALFORMED", body);
                assertHealthy();
            }));
        }
        tests.add(dynamicTest("handshake without page", () -> {
            assertRefused(new PageClient(server.port()).post("/session", "{}", Map.of()), 400, "MALFORMED");
            assertHealthy();
        }));
        for (String unload : List.of("{\"session\":5,\"token\":\"t\"}", "{\"session\":\"s\",\"token\":5}",
                "{\"session\":\"s\"}", "{}", "[]", "\"s\"")) {
            tests.add(dynamicTest("unload body " + label(unload), () -> {
                PageClient victim = new PageClient(server.port());
                victim.handshake("/unload-victim/");
                String body = unload.replace("\"s\"", "\"" + victim.sessionId() + "\"");
                assertRefused(victim.post("/unload", body, Map.of("Content-Type", "text/plain")), 400, "MALFORMED");
                assertEquals(200, victim.calls("[]").status(), "a malformed unload ends nothing");
                assertHealthy();
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> extremeButValidEnvelopeValuesAreAccepted() {
        return Stream.of(
                new String[] {"largest long id", "{\"calls\":[{\"id\":9223372036854775807,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"negative id", "{\"calls\":[{\"id\":-9223372036854775808,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"largest long ack", "{\"ack\":9223372036854775807,\"calls\":[]}"},
                new String[] {"unknown members are skipped", "{\"x\":{\"y\":[1,{}]},\"calls\":[{\"id\":1,\"zz\":null,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"missing args means none", "{\"calls\":[{\"id\":1,\"proxy\":\"Guarded\",\"method\":\"visible\"}]}"})
                .map(c -> dynamicTest(c[0], () -> {
                    PageClient fresh = new PageClient(server.port());
                    fresh.handshake("/extreme/");
                    PageClient.Reply r = fresh.post("/call", c[1], fresh.sessionHeaders());
                    assertEquals(200, r.status(), r.body());
                    assertNoInternals(r.body());
                    for (JsonElement reply : r.json().getAsJsonArray("replies")) {
                        assertTrue(reply.getAsJsonObject().has("result"), r.body());
                    }
                    assertHealthy();
                }));
    }

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
                .header("Content-Type", "application/json").header("Pagewire-Session", page.sessionId())
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
        cases.put("handshake body", new String[] {"/session", "{\"x\":" + arrays + ",\"page\":\"/\"}"});
        return cases.entrySet().stream().map(e -> dynamicTest(e.getKey(), () -> {
            String path = e.getValue()[0];
            PageClient.Reply r = path.equals("/session")
                    ? new PageClient(server.port()).post(path, e.getValue()[1], Map.of())
                    : page.post(path, e.getValue()[1], page.sessionHeaders());
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
    // Sizes: bodies over the limit, batches over the limit, large values within the limits
    // =====================================================================================

    /** 100 MB declared: refused on Content-Length before the body is read. */
    @Test
    void hundredMegabytesDeclaredIs413BeforeTheBodyIsRead() throws IOException {
        long hundredMb = 100L << 20;
        Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), hundredMb,
                hugeStringBody(hundredMb));
        assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
        assertTrue(r.written < (16L << 20), "refused long before 100 MB were sent: " + r.written);
        assertHealthy();
    }

    /** 100 MB chunked (no Content-Length): refused once more than maxBodyBytes arrived. */
    @Test
    void hundredMegabytesChunkedIs413WhenTheLimitIsPassed() throws IOException {
        long hundredMb = 100L << 20;
        Streamed r = stream(server.port(), "/pagewire/call", sessionRawHeaders(page), -1, hugeStringBody(hundredMb));
        assertStreamedRefusal(r, 413, "PAYLOAD_TOO_LARGE");
        assertTrue(r.written < (16L << 20), "refused soon after the 1 MiB limit: " + r.written);
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
                    assertTrue(r.written < (8L << 20), "refused early: " + r.written);
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
    // What may be called: Object's methods, unexposed methods, unknown proxies → NOT_FOUND
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> objectMethodsAreNeverCallable() {
        List<DynamicTest> tests = new ArrayList<>();
        String[][] methods = {{"getClass", "[]"}, {"wait", "[]"}, {"wait", "[1]"}, {"wait", "[1,1]"}, {"notify", "[]"},
                {"notifyAll", "[]"}, {"hashCode", "[]"}, {"equals", "[null]"}, {"equals", "[\"x\"]"}, {"toString", "[]"},
                {"clone", "[]"}, {"finalize", "[]"}};
        for (String proxy : List.of("Echo", "Guarded", "Child")) {
            for (String[] m : methods) {
                tests.add(dynamicTest(proxy + "." + m[0] + m[1], () -> {
                    PageClient.Reply r = page.calls("[{\"id\":1,\"proxy\":\"" + proxy + "\",\"method\":\"" + m[0]
                            + "\",\"args\":" + m[1] + "}]");
                    callError(r, "NOT_FOUND");
                    assertFalse(r.body().contains("internals"), r.body());
                    assertHealthy();
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> unexposedMethodsAndUnknownProxiesAreNotFound() {
        String[][] cases = {
                {"Guarded", "hidden"}, {"Echo", "staticHelper"}, {"Echo", "packagePrivate"}, {"Child", "inherited"},
                {"Echo", "<init>"}, {"Echo", "<clinit>"}, {"Echo", "lambda$0"}, {"Echo", "access$000"},
                {"Echo", "echo "}, {"Echo", "ECHO"}, {"Echo", "echo\u0000"}, {"Echo", ""}, {"Echo", "echo()"},
                {"Echo", "Echo.echo"}, {"Echo", "m".repeat(5000)}, {"Nope", "x"}, {"", "echo"}, {"echo", "echo"},
                {"java.lang.Runtime", "exec"}, {"Runtime", "getRuntime"}, {"System", "exit"},
                {"Echo\u0000", "echo"}, {"../Echo", "echo"}, {"__proto__", "constructor"}, {"constructor", "call"},
                {"HostileInputTest$Echo", "echo"}, {Echo.class.getName(), "echo"}, {"P".repeat(5000), "echo"},
                {"Pagewire", "close"}, {"pagewire", "close"},
        };
        return Stream.of(cases).map(c -> dynamicTest(label(c[0]) + "." + label(c[1]), () -> {
            String body = "[{\"id\":1,\"proxy\":" + new com.google.gson.Gson().toJson(c[0]) + ",\"method\":"
                    + new com.google.gson.Gson().toJson(c[1]) + ",\"args\":[\"x\"]}]";
            PageClient.Reply r = page.calls(body);
            JsonObject error = callError(r, "NOT_FOUND", c[0], c[1]);
            assertTrue(error.get("message").getAsString().length() < 300, "quotes at most a little input");
            assertHealthy();
        }));
    }

    @Test
    void exposedMethodsStillWork() {
        assertEquals("visible", page.callRaw("Guarded", "visible", "[]").get("result").getAsString());
        assertEquals("own", page.callRaw("Child", "own", "[]").get("result").getAsString());
    }

    // =====================================================================================
    // Type hints: a record parameter is built from its own components and nothing else
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> typeHintsNeverChooseTheClass() {
        String hints = "\"@class\":\"java.io.File\",\"type\":\"javax.script.ScriptEngineManager\",\"class\":\""
                + CANARY + "\",\"$type\":\"" + CANARY + "\",\"__proto__\":{\"x\":9},\"constructor\":\"" + CANARY + "\"";
        return Stream.of(
                dynamicTest("hints beside the components of a record are ignored", () -> {
                    JsonObject reply = page.callRaw("Echo", "point", "[{" + hints + ",\"x\":1,\"y\":2}]");
                    assertEquals(JsonParser.parseString("{\"x\":1,\"y\":2}"), reply.get("result"), reply.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints inside a list of records are ignored", () -> {
                    JsonObject reply = page.callRaw("Echo", "points", "[[{" + hints + ",\"x\":3,\"y\":4}]]");
                    assertEquals(JsonParser.parseString("[{\"x\":3,\"y\":4}]"), reply.get("result"), reply.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints alone are a record without its components, never another type", () -> {
                    JsonObject error = callError(page.calls("[" + oneCall("point", "{" + hints + "}") + "]"),
                            "BAD_ARGUMENTS", Point.class);
                    assertTrue(error.get("message").getAsString().contains("Point.x is missing"), error.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("a class name where a record goes is a bad argument", () -> {
                    for (String name : List.of("java.io.File", "javax.script.ScriptEngineManager", CANARY)) {
                        callError(page.calls("[" + oneCall("point", "\"" + name + "\"") + "]"), "BAD_ARGUMENTS",
                                Point.class, name);
                    }
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints in a Map<String,String> stay plain data", () -> {
                    JsonObject reply = page.callRaw("Echo", "map", "[{\"@class\":\"" + CANARY + "\"}]");
                    assertEquals(CANARY, reply.getAsJsonObject("result").get("@class").getAsString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("a class name as a string argument is only a string", () -> {
                    assertEquals(CANARY, page.callRaw("Echo", "echo", "[\"" + CANARY + "\"]").get("result").getAsString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }));
    }

    /**
     * Regression (found by {@link RequestFuzzTest}, and by reading gson's record adapter): a record
     * whose constructor refuses its components must fail that call (BAD_ARGUMENTS: the argument
     * does not fit), not the whole batch; the next call still runs.
     */
    @TestFactory
    Stream<DynamicTest> regressionRecordConstructorThatThrowsFailsOnlyItsCall() {
        return Stream.of("{\"name\":\"a\",\"n\":-1}", "{\"n\":1}", "{\"name\":null,\"n\":1}").map(arg ->
                dynamicTest("checked(" + arg + ")", () -> {
                    PageClient.Reply r = page.calls("[" + oneCall("checked", arg) + ","
                            + "{\"id\":2,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"after\"]}]");
                    callError(r, "BAD_ARGUMENTS", Checked.class);
                    assertEquals("after", r.json().getAsJsonArray("replies").get(1).getAsJsonObject()
                            .get("result").getAsString());
                    assertHealthy();
                }));
    }

    /**
     * Regression (found by {@link RequestFuzzTest}): {@code null} inside an array of a primitive
     * type (gson's array adapter then throws IllegalArgumentException from Array.set) must fail that
     * call with BAD_ARGUMENTS, not the whole batch.
     */
    @TestFactory
    Stream<DynamicTest> regressionNullInAPrimitiveArrayFailsOnlyItsCall() {
        return Stream.of("[1,null]", "[null]", "[null,2,3]").map(arg -> dynamicTest("sum(" + arg + ")", () -> {
            PageClient.Reply r = page.calls("[" + oneCall("sum", arg) + ","
                    + "{\"id\":2,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"after\"]}]");
            callError(r, "BAD_ARGUMENTS", int[].class);
            assertEquals("after", r.json().getAsJsonArray("replies").get(1).getAsJsonObject().get("result").getAsString());
            assertHealthy();
        }));
    }

    // =====================================================================================
    // Origins: 403 FORBIDDEN_ORIGIN on every POST endpoint
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> foreignOriginsAreRefused() {
        int port = server.port();
        List<Map<String, String>> hostile = List.of(
                Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "null"),
                Map.of("Origin", ""),
                Map.of("Origin", "http://localhost:" + port + ".evil.example"),
                Map.of("Origin", "http://localhost:" + port + "@evil.example"),
                Map.of("Origin", "http://evil.example/http://localhost:" + port),
                Map.of("Origin", "http://localhost:" + (port + 1)),
                Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:" + port),
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "same-origin"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, String> headers : hostile) {
            for (String path : List.of("/session", "/call", "/poll", "/ack", "/unload")) {
                tests.add(dynamicTest(path + " with " + label(headers.toString()), () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/origin/");
                    Map<String, String> all = new HashMap<>(victim.sessionHeaders());
                    all.putAll(headers);
                    String body = switch (path) {
                        case "/session" -> "{\"page\":\"/x/\"}";
                        case "/call" -> "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}";
                        case "/unload" -> "{\"session\":\"" + victim.sessionId() + "\",\"token\":\"" + victim.token() + "\"}";
                        default -> "{\"ack\":0}";
                    };
                    assertRefused(victim.post(path, body, all), 403, "FORBIDDEN_ORIGIN", headers.values().toArray(new String[0]));
                    assertEquals(200, victim.calls("[]").status(), "the victim's page still works");
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("own origin and same-site fetches pass", () -> {
            Map<String, String> own = new HashMap<>(page.sessionHeaders());
            own.put("Origin", "http://localhost:" + port);
            own.put("Sec-Fetch-Site", "same-origin");
            assertEquals(200, page.post("/call", "{\"calls\":[]}", own).status());
        }));
        return tests.stream();
    }

    // =====================================================================================
    // Tokens and sessions
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> missingOrWrongTokensAreRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Object[]> cases = List.of(
                new Object[] {"no headers", (Function<PageClient, Map<String, String>>) v -> Map.of(), 403, "BAD_TOKEN"},
                new Object[] {"session only", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId()), 403, "BAD_TOKEN"},
                new Object[] {"token only", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Token", v.token()), 403, "BAD_TOKEN"},
                new Object[] {"wrong token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId(), "Pagewire-Token", "AAAAAAAAAAAAAAAAAAAAAA"), 403, "BAD_TOKEN"},
                new Object[] {"empty token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId(), "Pagewire-Token", ""), 403, "BAD_TOKEN"},
                new Object[] {"token prefix", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId(), "Pagewire-Token", v.token().substring(0, 21)), 403, "BAD_TOKEN"},
                new Object[] {"token plus a character", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId(), "Pagewire-Token", v.token() + "A"), 403, "BAD_TOKEN"},
                new Object[] {"the id as the token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", v.sessionId(), "Pagewire-Token", v.sessionId()), 403, "BAD_TOKEN"},
                new Object[] {"unknown session id", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", "AAAAAAAAAAAAAAAAAAAAAA", "Pagewire-Token", v.token()), 410, "SESSION_UNKNOWN"},
                new Object[] {"4 KB session id", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Session", "A".repeat(4096), "Pagewire-Token", v.token()), 410, "SESSION_UNKNOWN"});
        for (Object[] c : cases) {
            for (String path : List.of("/call", "/poll", "/ack")) {
                tests.add(dynamicTest(path + ": " + c[0], () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/tokens/");
                    @SuppressWarnings("unchecked")
                    Map<String, String> headers = ((Function<PageClient, Map<String, String>>) c[1]).apply(victim);
                    String body = path.equals("/call") ? "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}" : "{\"ack\":0}";
                    assertRefused(victim.post(path, body, headers), (int) c[2], (String) c[3]);
                    assertEquals(200, victim.calls("[]").status());
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("/stream without id and token", () -> {
            assertRefused(page.get("/stream", Map.of()), 403, "BAD_TOKEN");
            assertHealthy();
        }));
        tests.add(dynamicTest("/stream with a wrong token", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/tokens/");
            assertRefused(victim.get("/stream?session=" + victim.sessionId() + "&token=AAAAAAAAAAAAAAAAAAAAAA", Map.of()),
                    403, "BAD_TOKEN");
            assertHealthy();
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anotherBrowsersScriptSessionIsOffLimits() {
        record Attack(String name, int status, String code) {
        }
        // PROTOCOL.md: a wrong token is 403 BAD_TOKEN; the right id and token with another
        // browser's cookie are 410 SESSION_UNKNOWN, as if the session did not exist; with no cookie
        // at all, 403 NO_HTTP_SESSION_COOKIE (only a holder of the token learns that).
        List<Attack> attacks = List.of(new Attack("victim id, attacker's own token", 403, "BAD_TOKEN"),
                new Attack("victim id and victim token, attacker's cookie", 410, "SESSION_UNKNOWN"),
                new Attack("victim id and victim token, no cookie", 403, "NO_HTTP_SESSION_COOKIE"),
                new Attack("victim id, a guessed token, no cookie", 410, "SESSION_UNKNOWN"),
                new Attack("attacker id, victim token", 403, "BAD_TOKEN"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Attack a : attacks) {
            for (String path : List.of("/call", "/poll", "/ack", "/unload", "/stream")) {
                tests.add(dynamicTest(path + ": " + a.name(), () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/victim/");
                    PageClient attacker = new PageClient(server.port());
                    boolean withCookie = !a.name().contains("no cookie");
                    if (withCookie) {
                        attacker.handshake("/attacker/");
                    }
                    String id = a.name().startsWith("victim id") ? victim.sessionId() : attacker.sessionId();
                    String token = a.name().contains("victim token") ? victim.token()
                            : withCookie ? attacker.token() : "AAAAAAAAAAAAAAAAAAAAAA";
                    PageClient.Reply r = switch (path) {
                        case "/stream" -> attacker.get("/stream?session=" + id + "&token=" + token, Map.of());
                        case "/unload" -> attacker.post("/unload", "{\"session\":\"" + id + "\",\"token\":\"" + token + "\"}",
                                Map.of("Content-Type", "text/plain"));
                        case "/call" -> attacker.post(path, "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"bump\"}]}",
                                Map.of("Pagewire-Session", id, "Pagewire-Token", token));
                        default -> attacker.post(path, "{\"ack\":0}", Map.of("Pagewire-Session", id, "Pagewire-Token", token));
                    };
                    int bumpsBefore = BUMPS.get();
                    assertRefused(r, a.status(), a.code());
                    assertEquals(bumpsBefore, BUMPS.get(), "nothing ran");
                    PageClient.Reply still = victim.calls("[" + oneCall("echo", "\"mine\"") + "]");
                    assertEquals(200, still.status(), "the victim's page survives: " + still.body());
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("/stream refusal for an EventSource is an event, never the stream", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/victim/");
            PageClient attacker = new PageClient(server.port());
            attacker.handshake("/attacker/");
            PageClient.Reply r = attacker.get("/stream?session=" + victim.sessionId() + "&token=" + victim.token(),
                    Map.of("Accept", "text/event-stream"));
            assertEquals(200, r.status());
            assertTrue(r.body().startsWith("event: refused\ndata: {\"status\":410,\"error\":{\"code\":\"SESSION_UNKNOWN\""), r.body());
            assertNoInternals(r.body());
            assertHealthy();
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> tokensOfAnEndedSessionAreDead() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String path : List.of("/call", "/poll", "/ack", "/stream", "/stream (EventSource)", "/unload")) {
            tests.add(dynamicTest("unload, then " + path, () -> {
                PageClient ended = new PageClient(server.port());
                ended.handshake("/ended/");
                String unload = "{\"session\":\"" + ended.sessionId() + "\",\"token\":\"" + ended.token() + "\"}";
                assertEquals(204, ended.post("/unload", unload, Map.of("Content-Type", "text/plain")).status());
                assertEquals(null, pagewire.sessions.find(ended.sessionId()));
                String streamPath = "/stream?session=" + ended.sessionId() + "&token=" + ended.token();
                switch (path) {
                    case "/call" -> assertRefused(ended.calls("[" + oneCall("echo", "\"x\"") + "]"), 410, "SESSION_UNKNOWN");
                    case "/stream" -> assertRefused(ended.get(streamPath, Map.of()), 410, "SESSION_UNKNOWN");
                    case "/stream (EventSource)" -> {
                        PageClient.Reply r = ended.get(streamPath, Map.of("Accept", "text/event-stream"));
                        assertEquals(200, r.status());
                        assertTrue(r.body().startsWith("event: refused\ndata: {\"status\":410,\"error\":{\"code\":\"SESSION_UNKNOWN\""),
                                r.body());
                    }
                    case "/unload" -> {
                        // Unloading twice is harmless and ends nothing else.
                        assertEquals(204, ended.post("/unload", unload, Map.of("Content-Type", "text/plain")).status());
                    }
                    default -> assertRefused(ended.post(path, "{\"ack\":0}", ended.sessionHeaders()), 410, "SESSION_UNKNOWN");
                }
                assertEquals(null, pagewire.sessions.find(ended.sessionId()), "never revived");
                assertHealthy();
            }));
        }
        tests.add(dynamicTest("unload with a wrong token ends nothing", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/victim/");
            assertRefused(victim.post("/unload", "{\"session\":\"" + victim.sessionId() + "\",\"token\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
                    Map.of("Content-Type", "text/plain")), 403, "BAD_TOKEN");
            assertEquals(200, victim.calls("[]").status());
            assertHealthy();
        }));
        return tests.stream();
    }

    // =====================================================================================
    // Paths: /interface/ tricks never serve anything but the generated proxy scripts
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> interfacePathTricksServeNoFiles() throws IOException {
        String echoJs;
        try (RawHttp r = RawHttp.send(server.port(), "GET", "/pagewire/interface/Echo.js", Map.of(), null).readHead()) {
            assertEquals(200, r.status());
            echoJs = r.readBody();
        }
        String script = echoJs;
        String longName = "A".repeat(5000);
        // Raw request targets, sent byte for byte. Expected: 404 (Pagewire: no such proxy script) or
        // 400 (Tomcat refuses the URI: encoded slash, backslash, NUL, escape above the root); a few
        // that normalise to another Pagewire endpoint are named with their own status.
        List<String[]> targets = List.of(
                new String[] {"/pagewire/interface/../../WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/../../../../../../etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/%2e%2e/%2e%2e/WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "400 404"},
                new String[] {"/pagewire/interface/..%2f..%2fWEB-INF%2fweb.xml", "400 404"},
                new String[] {"/pagewire/interface/%2fetc%2fpasswd", "400 404"},
                new String[] {"/pagewire/interface/..%5c..%5cWEB-INF%5cweb.xml", "400 404"},
                new String[] {"/pagewire/interface/..\\..\\WEB-INF\\web.xml", "400 404"},
                new String[] {"/pagewire/interface/Echo.js%00", "400 404"},
                new String[] {"/pagewire/interface/Echo.js%00.png", "400 404"},
                new String[] {"/pagewire/interface/%252e%252e/%252e%252e/etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/" + longName + ".js", "404"},
                new String[] {"/pagewire/interface/Ech%D0%BE.js", "404"},   // Cyrillic o
                new String[] {"/pagewire/interface/Echo%EF%BC%8Ejs", "404"}, // fullwidth full stop
                new String[] {"/pagewire/interface/%EF%BC%A5cho.js", "404"}, // fullwidth E
                new String[] {"/pagewire/interface/Echo.js%E2%80%8B", "404"}, // zero-width space
                new String[] {"/pagewire/interface/echo.js", "404"},
                new String[] {"/pagewire/interface/Echo.JS", "404"},
                new String[] {"/pagewire/interface/Echo.js.", "404"},
                new String[] {"/pagewire/interface/Echo.js%20", "404"},
                new String[] {"/pagewire/interface/Echo.js::$DATA", "404"},
                new String[] {"/pagewire/interface/Echo", "404"},
                new String[] {"/pagewire/interface/.js", "404"},
                new String[] {"/pagewire/interface/", "404"},
                new String[] {"/pagewire/interface", "404"},
                new String[] {"/pagewire/interface/Echo.js/", "404"},
                new String[] {"/pagewire/interface/Echo.js/x", "404"},
                new String[] {"/pagewire/interface/java.lang.Runtime.js", "404"},
                new String[] {"/pagewire/interface/" + Echo.class.getName() + ".js", "404"},
                new String[] {"/pagewire/interface/Echo.class", "404"},
                new String[] {"/pagewire/interface/engine.js", "404"},
                new String[] {"/pagewire/interface/../engine.js", "200 engine"},
                new String[] {"/pagewire/interface/../call", "405"},
                // Path parameters are stripped by the container (Servlet spec): the same public
                // script, nothing else, is an acceptable answer.
                new String[] {"/pagewire/interface/Echo.js;jsessionid=x", "200 same 404"},
                new String[] {"/pagewire/interface/Echo.js;/../../WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/%45cho.js", "200 same 404"});
        return targets.stream().map(t -> dynamicTest("GET " + label(t[0]), () -> {
            try (RawHttp r = RawHttp.send(server.port(), "GET", t[0], Map.of(), null).readHead()) {
                String body = r.readBody();
                List<String> allowed = List.of(t[1].split(" "));
                assertTrue(allowed.contains(String.valueOf(r.status())), "status " + r.status() + ", expected " + t[1]
                        + ": " + clip(body));
                assertNoFileContent(body);
                if (r.status() != 200) {
                    // (A 200 is checked against the public script itself, which names its class.)
                    assertNoInternals(body, t[0]);
                }
                if (r.status() == 200 && allowed.contains("same")) {
                    assertEquals(script, body, "only the public proxy script");
                } else if (r.status() == 200) {
                    assertTrue(body.contains("createPagewire"), "the engine script");
                } else if (r.status() == 404 && isJson(r.header("Content-Type"))) {
                    assertEquals("NOT_FOUND", errorCode(body), body);
                }
            }
            assertHealthy();
        }));
    }

    @Test
    void aVeryLongInterfaceNameIsRefusedCleanly() throws IOException {
        try (RawHttp r = RawHttp.send(server.port(), "GET", "/pagewire/interface/" + "A".repeat(20_000) + ".js",
                Map.of(), null).readHead()) {
            assertTrue(r.status() == 400 || r.status() == 414 || r.status() == 404, "status " + r.status());
            String body = r.readBody();
            assertNoFileContent(body);
            assertNoInternals(body);
        } catch (IOException e) {
            // Tomcat may refuse an oversized request line by closing the connection: also clean.
        }
        assertHealthy();
    }

    // =====================================================================================
    // HTTP methods and content types
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> wrongMethodsAre405WithAllow() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String path : List.of("/call", "/poll", "/ack", "/session", "/unload")) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND")) {
                tests.add(methodCase(method, path, "POST"));
            }
        }
        for (String path : List.of("/stream", "/engine.js", "/engine.mjs", "/interface/Echo.js", "/interface/Echo.d.ts", "/")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                tests.add(methodCase(method, path, "GET"));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> bodiesThatAreNotJsonAre415() {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> types = new ArrayList<>(List.of("text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "text/json", "application/jsonp", "application/json-patch+json",
                "application/json, text/plain", "text/html", "application/xml", "*/*", "json"));
        types.add(null);
        for (String type : types) {
            for (String path : List.of("/call", "/poll", "/ack", "/session")) {
                tests.add(dynamicTest(path + " as " + type, () -> {
                    String body = path.equals("/session") ? "{\"page\":\"/\"}"
                            : path.equals("/call") ? "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}" : "{\"ack\":0}";
                    assertRefused(postBytes(page, path, body.getBytes(StandardCharsets.UTF_8), type, page.sessionHeaders()),
                            415, "UNSUPPORTED_MEDIA_TYPE", type == null ? "" : type);
                    assertHealthy();
                }));
            }
            if (type == null || !type.startsWith("text/plain")) {
                tests.add(dynamicTest("/unload as " + type, () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/unload-type/");
                    String body = "{\"session\":\"" + victim.sessionId() + "\",\"token\":\"" + victim.token() + "\"}";
                    assertRefused(postBytes(victim, "/unload", body.getBytes(StandardCharsets.UTF_8), type, Map.of()),
                            415, "UNSUPPORTED_MEDIA_TYPE", type == null ? "" : type);
                    assertEquals(200, victim.calls("[]").status(), "nothing was unloaded");
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("media type names are case-insensitive, parameters allowed", () -> {
            for (String type : List.of("APPLICATION/JSON", "application/json; charset=utf-8", "Application/Json;charset=UTF-8")) {
                PageClient.Reply r = postBytes(page, "/call", "{\"calls\":[]}".getBytes(StandardCharsets.UTF_8), type,
                        page.sessionHeaders());
                assertEquals(200, r.status(), type + ": " + r.body());
            }
        }));
        return tests.stream();
    }

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
            PageGroup group = pagewire.pages().byId(target.sessionId());
            group.call("ui.show", s);
            group.proxy(Ui.class).show(s);

            PageClient.Reply polled = target.post("/poll", "{\"ack\":0}", target.sessionHeaders());
            assertEquals(200, polled.status(), polled.body());
            assertTrue(polled.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals("nosniff", polled.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
            assertPushedExactly(s, polled.json().getAsJsonArray("updates"));

            // Passive delivery: the same updates ride on a call reply.
            PageClient.Reply passive = target.post("/call", "{\"ack\":0,\"calls\":[]}", target.sessionHeaders());
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
        PageGroup group = pagewire.pages().byId(target.sessionId());
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
        try (Pagewire quiet = Pagewire.builder().expose(new Echo()).sseHeartbeat(Duration.ofMinutes(10)).build()) {
            PagewireServer other = PagewireServer.create(quiet).start(0);
            try {
                PageClient target = new PageClient(other.port());
                target.handshake("/big-sse/");
                PageGroup group = quiet.pages().byId(target.sessionId());
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
            } finally {
                other.stop();
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
            String path = "/pagewire/stream?session=" + page.sessionId() + "&token=" + page.token() + "&ack=0";
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nCookie: " + page.cookieHeader() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            String status = readLine(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            boolean chunked = false;
            for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
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
                String size = readLine(in);
                if (size.isEmpty()) {
                    size = readLine(in);
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
        PageGroup group = pagewire.pages().byId(page.sessionId());
        for (String function : List.of("</script><script>alert(1)", "ui.show()", "ui['show']", "alert(1)//", "", "ui..show",
                "ui.show;alert(1)", "\u2028", "ui.show\n")) {
            assertThrows(IllegalArgumentException.class, () -> group.call(function, "x"), function);
        }
        assertThrows(IllegalStateException.class, () -> group.script(new ScriptBuffer().appendScript("alert(1)")),
                "script updates are off by default");
        assertEquals(0, pagewire.sessions.find(page.sessionId()).queue().depth(), "nothing was queued");
        assertHealthy();
    }

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

    private static DynamicTest callsCase(String name, String oneCall) {
        return bodyCase("/call", name, "{\"calls\":[" + oneCall + "]}");
    }

    private static DynamicTest bodyCase(String path, String name, String body) {
        return dynamicTest(label(name), () -> {
            assertRefused(page.post(path, body, page.sessionHeaders()), 400, "MALFORMED", body);
            assertHealthy();
        });
    }

    private static DynamicTest methodCase(String method, String path, String allow) {
        return dynamicTest(method + " " + path, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
            if (method.equals("GET")) {
                b.GET();
            } else {
                b.method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
            }
            PageClient.Reply r = page.send(b.build());
            assertRefused(r, 405, "METHOD_NOT_ALLOWED", method);
            assertEquals(allow, r.raw().headers().firstValue("Allow").orElse(null));
            assertHealthy();
        });
    }

    /** A normal call still works. */
    static void assertHealthy() {
        PageClient.Reply r = page.post("/call", "{\"calls\":[" + oneCall("echo", "\"ok\"") + "]}", page.sessionHeaders());
        assertEquals(200, r.status(), () -> "server unhealthy after the case: " + clip(r.body()));
        assertEquals("ok", r.json().getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString());
    }

    /** Refused as a whole: the status, a JSON error with the code, and no internals. */
    static JsonObject assertRefused(PageClient.Reply r, int status, String code, String... clientInput) {
        assertEquals(status, r.status(), () -> "status; body: " + clip(r.body()));
        assertTrue(isJson(r.raw().headers().firstValue("Content-Type").orElse(null)), "a JSON refusal");
        JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
        assertNotNull(error, r.body());
        assertEquals(code, error.get("code").getAsString(), () -> clip(r.body()));
        assertTrue(error.get("message").getAsString().length() <= 400, "messages stay short");
        assertNoInternals(r.body(), clientInput);
        return error;
    }

    /** A 200 reply whose first call failed with {@code code}; {@code allowed}: declared types and client input. */
    static JsonObject callError(PageClient.Reply r, String code, Object... allowed) {
        assertEquals(200, r.status(), () -> "the batch itself was acceptable; body: " + clip(r.body()));
        JsonObject reply = r.json().getAsJsonArray("replies").get(0).getAsJsonObject();
        assertTrue(reply.has("id") && reply.has("error") && !reply.has("result"), () -> clip(reply.toString()));
        JsonObject error = reply.getAsJsonObject("error");
        assertEquals(code, error.get("code").getAsString(), () -> clip(r.body()));
        List<String> fragments = new ArrayList<>();
        for (Object a : allowed) {
            fragments.add(a instanceof Type t ? t.getTypeName() : String.valueOf(a));
        }
        assertNoInternals(r.body(), fragments.toArray(new String[0]));
        return error;
    }

    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "at dev.", "at java.", "at com.",
            "at org.", "java.lang", "java.io", "java.util", "com.google", "gson", "org.apache", "jakarta.", "dev.pagewire.",
            "Caused by", ".java:");

    /** See the class comment: nothing of the server's internals, except declared types and echoed input. */
    static void assertNoInternals(String body, String... allowedFragments) {
        String internal = internalsIn(body, List.of(allowedFragments));
        if (internal != null) {
            fail("body shows server internals (" + internal.trim() + "): " + clip(body));
        }
    }

    /** The first internal marker {@code body} shows once the allowed fragments are removed, or null. */
    static String internalsIn(String body, java.util.Collection<String> allowedFragments) {
        String rest = body;
        List<String> fragments = new ArrayList<>();
        for (String f : allowedFragments) {
            if (f != null && !f.isEmpty()) {
                fragments.add(f);
                fragments.add(new com.google.gson.Gson().toJson(f).replaceAll("^\"|\"$", ""));
                if (f.length() > 2 && f.startsWith("\"") && f.endsWith("\"")) {
                    fragments.add(f.substring(1, f.length() - 1));
                }
            }
        }
        fragments.sort((a, b) -> b.length() - a.length());
        for (String f : fragments) {
            rest = rest.replace(f, "");
            // Messages quote at most 80-200 characters of input: drop clipped quotes too.
            for (int n : new int[] {40, 60, 80, 100, 200}) {
                if (f.length() > n) {
                    rest = rest.replace(f.substring(0, n), "");
                }
            }
        }
        for (String internal : INTERNALS) {
            if (rest.contains(internal)) {
                return internal;
            }
        }
        return null;
    }

    private static void assertNoFileContent(String body) {
        for (String marker : List.of("root:", "<web-app", "<?xml", "[boot loader]", "package dev.pagewire", "\u00ca\u00fe\u00ba\u00be",
                "PK\u0003\u0004", "BEGIN RSA", "catalina")) {
            assertFalse(body.contains(marker), "file content (" + marker + "): " + clip(body));
        }
    }

    private static void assertStreamedRefusal(Streamed r, int status, String code) {
        assertEquals(status, r.status, r.toString());
        assertEquals(code, errorCode(r.body), r.body);
        assertNoInternals(r.body);
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static String errorCode(String body) {
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("error").get("code").getAsString();
    }

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

    static String oneCall(String method, String argJson) {
        return "{\"id\":1,\"proxy\":\"Echo\",\"method\":\"" + method + "\",\"args\":[" + argJson + "]}";
    }

    private static String one(String method, String argJson) {
        return "[" + oneCall(method, argJson) + "]";
    }

    private static String call(String method, String argJson) {
        return "{\"calls\":" + one(method, argJson) + "}";
    }

    static URI uri(String path) {
        return URI.create("http://localhost:" + server.port() + "/pagewire" + path);
    }

    /** POSTs raw bytes; {@code contentType} null sends none. */
    static PageClient.Reply postBytes(PageClient client, String path, byte[] body, String contentType,
                                      Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::setHeader);
        return client.send(b.build());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, String b) {
        return concat(a, b.getBytes(StandardCharsets.UTF_8));
    }

    /** Printable, short display names (surefire writes them into XML). */
    static String label(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 90; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return s.length() > 90 || out.length() >= 90 ? out + "...(" + s.length() + " chars)" : out.toString();
    }

    static String clip(String s) {
        return s == null ? "null" : s.length() <= 400 ? s : s.substring(0, 400) + "...(" + s.length() + " chars)";
    }

    private static Map<String, String> sessionRawHeaders(PageClient client) {
        return Map.of("Cookie", client.cookieHeader(), "Pagewire-Session", client.sessionId(),
                "Pagewire-Token", client.token(), "Content-Type", "application/json");
    }

    /** A second server with other limits, for one case. */
    private static void withServer(Function<Pagewire.Builder, Pagewire.Builder> limits, CheckedConsumer<OtherServer> body)
            throws Throwable {
        try (Pagewire other = limits.apply(Pagewire.builder().expose(new Echo()).handshakesPerMinute(1_000_000)).build()) {
            PagewireServer s = PagewireServer.create(other).start(0);
            try {
                PageClient client = new PageClient(s.port());
                client.handshake("/limits/");
                body.accept(new OtherServer(s.port(), client));
                PageClient.Reply ok = client.calls("[" + oneCall("echo", "\"ok\"") + "]");
                assertEquals(200, ok.status(), "that server is still healthy: " + ok.body());
            } finally {
                s.stop();
            }
        }
    }

    private record OtherServer(int port, PageClient page) {
    }

    private interface CheckedConsumer<T> {
        void accept(T t) throws Throwable;
    }

    // ---- Streaming bodies that are never built in memory ----

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

    private static InputStream generated(long size, java.util.function.LongFunction<Byte> at) {
        return new InputStream() {
            private long i;

            @Override
            public int read() {
                return i < size ? at.apply(i++) & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - i);
                for (int k = 0; k < n; k++) {
                    b[off + k] = at.apply(i++);
                }
                return n;
            }
        };
    }

    /** What {@link #stream} saw. */
    record Streamed(int status, String body, long written, long millis) {
        @Override
        public String toString() {
            return "status " + status + " after " + written + " bytes in " + millis + " ms: " + clip(body);
        }
    }

    /**
     * POSTs {@code source} over a raw socket, with {@code Content-Length: declared} or chunked when
     * {@code declared < 0}, 16 KiB at a time, and stops sending as soon as the server answers (or
     * stops reading), so the test never pushes more than it must. Bounded by the source and a
     * 30-second read timeout.
     */
    static Streamed stream(int port, String path, Map<String, String> headers, long declared, InputStream source)
            throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("localhost", port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost:")
                    .append(port).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append(declared >= 0 ? "Content-Length: " + declared : "Transfer-Encoding: chunked").append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long written = 0;
            byte[] buffer = new byte[16 * 1024];
            try {
                while (in.available() == 0) {
                    int n = source.readNBytes(buffer, 0, buffer.length);
                    if (n <= 0) {
                        if (declared < 0) {
                            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                        break;
                    }
                    if (declared < 0) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, n);
                    if (declared < 0) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    written += n;
                }
                out.flush();
            } catch (IOException e) {
                // The server stopped reading and closed: its answer is already on its way.
            }
            int status = Integer.parseInt(readLine(in).split(" ")[1]);
            Map<String, String> h = new HashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(readLine(in).trim(), 16); size > 0;
                     size = Integer.parseInt(readLine(in).trim(), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    readLine(in);
                }
            } else {
                body.writeBytes(in.readNBytes(Integer.parseInt(h.getOrDefault("content-length", "0"))));
            }
            return new Streamed(status, body.toString(StandardCharsets.UTF_8), written,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
