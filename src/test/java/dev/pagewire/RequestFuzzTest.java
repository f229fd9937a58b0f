package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.convert.ConversionException;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.remoting.BatchReader;
import dev.pagewire.remoting.Call;
import dev.pagewire.remoting.CallBatch;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the request decoder and the dispatcher with a seeded random generator: valid batch bodies
 * are mutated (byte flips, truncations, inserted JSON tokens, deletions, duplicated ranges, deep
 * nesting bursts, random unicode including lone surrogates, invalid UTF-8, huge numbers, duplicate
 * keys, values replaced by random JSON of random types) or generated from scratch as random but
 * well-typed batches.
 *
 * <ul>
 *   <li>{@link #batchReaderOnlyEverRefuses()} feeds them in-process to {@link BatchReader} (default
 *       limits, and tiny ones) through the same UTF-8 decoding the server uses: it must return a
 *       batch within the limits or throw a {@link Refusal} with a documented code and a message that
 *       shows no internals. Any other exception, or a slow input, is a failure.</li>
 *   <li>{@link #serverAnswersEveryRequestCleanly()} sends fewer of them over real HTTP to an
 *       embedded Tomcat ({@code /call} mostly, also {@code /poll}, {@code /ack}, {@code /session},
 *       {@code /unload}): every answer must be a well-formed 2xx or a 4xx with a documented code,
 *       never a 5xx, a per-call {@code INTERNAL} (the target methods never throw), a hang (10 s
 *       client timeout) or a stack trace; the server must answer a normal call afterwards.</li>
 * </ul>
 *
 * <p>Every iteration uses its own {@code Random(seed + iteration)}, so one failing iteration can be
 * replayed alone. Distinct failures are collected (by a signature) and reported together at the
 * end, each with its seed, iteration and input.
 *
 * <p><b>System properties</b> (Maven passes {@code -D} options to the test JVM):
 * {@code fuzz.seed} (default {@value #DEFAULT_SEED}), {@code fuzz.iterations} (in-process inputs,
 * default {@value #DEFAULT_ITERATIONS}), {@code fuzz.httpIterations} (inputs over HTTP, default
 * {@value #DEFAULT_HTTP_ITERATIONS}). A longer local run:
 * <pre>
 * mvn -q test-compile surefire:test -Dtest=RequestFuzzTest -Dfuzz.iterations=2000000 -Dfuzz.httpIterations=50000 -Dfuzz.seed=$RANDOM
 * </pre>
 * Inputs that crashed the server become named regression cases in the {@code Hostile*Test} classes ({@link HostileFixture}).
 */
class RequestFuzzTest {
    static final long DEFAULT_SEED = 0x5EED_2026L;
    static final int DEFAULT_ITERATIONS = 20_000;
    static final int DEFAULT_HTTP_ITERATIONS = 500;

    static final long SEED = Long.getLong("fuzz.seed", DEFAULT_SEED);
    static final int ITERATIONS = Integer.getInteger("fuzz.iterations", DEFAULT_ITERATIONS);
    static final int HTTP_ITERATIONS = Integer.getInteger("fuzz.httpIterations", DEFAULT_HTTP_ITERATIONS);

    // ---- The fuzz target: every parameter kind the allow-list supports; no method ever throws ----

    public record Point(int x, int y) {
    }

    public record Nested(String name, List<Nested> children, Map<String, Point> points) {
    }

    public record Checked(String name, int n) {
        public Checked {
            Objects.requireNonNull(name, "name");
            if (n < 0) {
                throw new IllegalArgumentException("n must not be negative");
            }
        }
    }

    public enum Color { RED, GREEN, BLUE }

    @DataTransferObject
    public static class Dto {
        public String label;
        public int count;
        public List<String> tags;
        public Color color;
    }

    public static class Target {
        public String echo(String s) { return s; }
        public int add(int a, int b) { return a + b; }
        public String big(long v) { return Long.toString(v); } // a long beyond 2^53 - 1 is no result
        public double real(double v) { return v; }
        public float single(float v) { return v; }
        public boolean flag(boolean v) { return v; }
        public char letter(char c) { return c; }
        public byte tiny(byte v) { return v; }
        public short small(short v) { return v; }
        public BigDecimal money(BigDecimal v) { return v; }
        public BigInteger huge(BigInteger v) { return v; }
        public Integer boxed(Integer v) { return v; }
        public Point point(Point p) { return p; }
        public List<Point> points(List<Point> p) { return p; }
        public Map<String, Integer> counts(Map<String, Integer> m) { return m; }
        public Set<String> tags(Set<String> s) { return s; }
        public Color color(Color c) { return c; }
        public Map<Color, String> byColor(Map<Color, String> m) { return m; }
        public Instant when(Instant i) { return i; }
        public LocalDate day(LocalDate d) { return d; }
        public Duration span(Duration d) { return d; }
        public ZoneId zone(ZoneId z) { return z; }
        public Optional<String> maybe(Optional<String> o) { return o; }
        public int[] ints(int[] v) { return v; }
        public String[][] grid(String[][] g) { return g; }
        public UUID uuid(UUID u) { return u; }
        public Nested nest(Nested n) { return n; }
        public Checked checked(Checked c) { return c; }
        public Dto dto(Dto d) { return d; }
        public void nothing() { }
        public String injected(HttpServletRequest request, String s) { return request.getMethod() + s; }
    }

    static final List<String> SEEDS = List.of(
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"echo\",\"args\":[\"hello\"]}]}",
            "{\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"add\",\"args\":[1,2]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"big\",\"args\":[\"9007199254740993\"]}],\"ack\":3}",
            "{\"ack\":0,\"calls\":[{\"id\":7,\"proxy\":\"Target\",\"method\":\"real\",\"args\":[-0.5]},{\"id\":8,\"proxy\":\"Target\",\"method\":\"single\",\"args\":[1.5e3]},{\"id\":9,\"proxy\":\"Target\",\"method\":\"flag\",\"args\":[true]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"letter\",\"args\":[\"x\"]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"tiny\",\"args\":[-128]},{\"id\":3,\"proxy\":\"Target\",\"method\":\"small\",\"args\":[300]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"money\",\"args\":[12.50]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"huge\",\"args\":[123456789012345678901234567890]},{\"id\":3,\"proxy\":\"Target\",\"method\":\"boxed\",\"args\":[null]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"point\",\"args\":[{\"x\":1,\"y\":2}]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"points\",\"args\":[[{\"x\":1,\"y\":2},{\"x\":-3,\"y\":4}]]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"counts\",\"args\":[{\"a\":1,\"b\":2}]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"tags\",\"args\":[[\"a\",\"b\",\"a\"]]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"color\",\"args\":[\"RED\"]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"byColor\",\"args\":[{\"GREEN\":\"g\",\"BLUE\":\"b\"}]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"when\",\"args\":[\"2026-11-22T10:00:00Z\"]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"when\",\"args\":[1700000000000]},{\"id\":3,\"proxy\":\"Target\",\"method\":\"day\",\"args\":[\"2026-02-28\"]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"span\",\"args\":[\"PT1H30M\"]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"zone\",\"args\":[\"Europe/Paris\"]},{\"id\":3,\"proxy\":\"Target\",\"method\":\"maybe\",\"args\":[null]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"ints\",\"args\":[[1,2,3]]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"grid\",\"args\":[[[\"a\",\"b\"],[],[\"c\"]]]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"uuid\",\"args\":[\"123e4567-e89b-12d3-a456-426614174000\"]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"nothing\",\"args\":[]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"nest\",\"args\":[{\"name\":\"root\",\"children\":[{\"name\":\"leaf\",\"children\":[],\"points\":{}}],\"points\":{\"p\":{\"x\":1,\"y\":1}}}]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"checked\",\"args\":[{\"name\":\"ok\",\"n\":1}]},{\"id\":2,\"proxy\":\"Target\",\"method\":\"dto\",\"args\":[{\"label\":\"l\",\"count\":2,\"tags\":[\"t\"],\"color\":\"BLUE\"}]}]}",
            "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"injected\",\"args\":[\"x\"]},{\"id\":2,\"proxy\":\"Nope\",\"method\":\"x\",\"args\":[]},{\"id\":3,\"proxy\":\"Target\",\"method\":\"hashCode\",\"args\":[]}]}",
            "{\"calls\":[]}");

    static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0", "-1", "1e400",
            "-0.0", "9223372036854775808", "-9223372036854775809", "\"x\"", "\"\\ud800\"", "\"\\u0000\"", "{}", "[]",
            "{\"calls\":[]}", "\"calls\"", "\"args\"", "\"id\"", "\"ack\"", "\"proxy\"", "\"method\"", "NaN", "Infinity",
            "/*", "//", "\\", "'", "\"Target\"", "\"echo\"", "[null]", "[1,null]", "{\"name\":null}", "\"n\":-1",
            "\"RED\"", "\"PT9999999999999999999H\"", "\"+999999999-12-31\"", "1.7976931348623157e309", "4.9e-325",
            "\"java.io.File\"", "{\"@class\":\"java.io.File\"}", "\"\\uDFFF\\uD800\"", "\"\\u2028\"", "\u2028", "\u0000"};

    static final String INTERESTING_CHARS = "{}[]:,\"\\ 0123456789eE+-.aznult\u0000\u001f\u007f\u2028\ud800\udc00\ufeff\uffff";

    static final Map<String, Integer> CODES = Map.ofEntries(Map.entry("MALFORMED", 400), Map.entry("TOO_MANY_CALLS", 400),
            Map.entry("FORBIDDEN_ORIGIN", 403), Map.entry("BAD_TOKEN", 403), Map.entry("MODE_NOT_ALLOWED", 403),
            Map.entry("NO_HTTP_SESSION_COOKIE", 403), Map.entry("NOT_FOUND", 404), Map.entry("METHOD_NOT_ALLOWED", 405),
            Map.entry("PAGE_UNKNOWN", 410), Map.entry("PAYLOAD_TOO_LARGE", 413), Map.entry("UNSUPPORTED_MEDIA_TYPE", 415));
    static final Set<String> CALL_CODES = Set.of("NOT_FOUND", "BAD_ARGUMENTS", "EXCEPTION", "INTERNAL", "FORBIDDEN");

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Pagewire.builder().expose(new Target()).cometHold(Duration.ofMillis(200))
                .handshakesPerMinute(1_000_000)); // fuzzed pages start again from one address
    }

    // =====================================================================================
    // In-process: the batch reader
    // =====================================================================================

    @Test
    void batchReaderOnlyEverRefuses() {
        Failures failures = new Failures("in-process BatchReader");
        BatchReader defaults = new BatchReader(64, 100);
        BatchReader tiny = new BatchReader(5, 1);
        for (int i = 0; i < ITERATIONS; i++) {
            Random rnd = new Random(SEED + i);
            byte[] input = generate(rnd);
            boolean small = rnd.nextInt(4) == 0;
            BatchReader reader = small ? tiny : defaults;
            int maxCalls = small ? 1 : 100;
            long start = System.nanoTime();
            try {
                CallBatch batch = reader.read(new InputStreamReader(new ByteArrayInputStream(input), StandardCharsets.UTF_8));
                if (batch.calls().size() > maxCalls) {
                    failures.add("more calls than the limit", i, input, batch.calls().size() + " calls");
                }
                for (Call c : batch.calls()) {
                    if (c.proxy() == null || c.method() == null || c.args() == null) {
                        failures.add("a call with a null part", i, input, c.toString());
                    }
                }
            } catch (Refusal r) {
                Integer status = CODES.get(r.code());
                if (!Set.of("MALFORMED", "TOO_MANY_CALLS").contains(r.code()) || status == null || status != r.status()) {
                    failures.add("undocumented refusal " + r.status() + " " + r.code(), i, input, r.getMessage());
                }
                String internal = HostileFixture.internalsIn(String.valueOf(r.getMessage()), List.of());
                if (internal != null) { // maybe only input the message quotes: look again, allowing that
                    internal = HostileFixture.internalsIn(r.getMessage(), quotedStrings(new String(input, StandardCharsets.UTF_8)));
                }
                if (internal != null) {
                    failures.add("refusal message shows internals: " + leak(r.getMessage(), internal), i, input,
                            r.getMessage());
                }
                if (r.getMessage() == null || r.getMessage().length() > 300) {
                    failures.add("refusal message missing or long", i, input, String.valueOf(r.getMessage()));
                }
            } catch (Throwable t) {
                failures.add("threw " + t.getClass().getName(), i, input, String.valueOf(t));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > 1000) {
                failures.add("slow (over 1 s)", i, input, millis + " ms");
            }
        }
        failures.check();
    }

    // =====================================================================================
    // In-process: argument conversion (what the dispatcher does with each argument)
    // =====================================================================================

    /**
     * Every parameter type of {@link Target}, fed type-aware values (edge values, wrong types,
     * nulls in odd places, extra and missing members): {@link JsonCodec#fromJson} must return a
     * value that converts back to JSON, or throw {@link ConversionException} with a message that
     * shows no internals besides the declared type. Anything else escapes the dispatcher's
     * per-call error handling and fails the whole batch.
     */
    @Test
    void conversionOnlyEverFailsWithConversionException() {
        Failures failures = new Failures("in-process JsonCodec");
        JsonCodec codec = new JsonCodec(new TypeAllowList(Set.of()));
        List<Type> types = new ArrayList<>();
        for (Method m : sortedMethods()) {
            for (Type t : m.getGenericParameterTypes()) {
                if (t != HttpServletRequest.class) {
                    types.add(t);
                }
            }
        }
        for (int i = 0; i < ITERATIONS; i++) {
            Random rnd = new Random(SEED ^ 0xC0DECL ^ (long) i * 0x9E37_79B9_7F4A_7C15L);
            Type type = types.get(rnd.nextInt(types.size()));
            String json = rnd.nextInt(6) == 0 ? randomJson(rnd, 4) : valueFor(type, rnd, 4);
            byte[] input = (type.getTypeName() + " <- " + json).getBytes(StandardCharsets.UTF_8);
            JsonElement tree;
            try {
                tree = JsonParser.parseString(json);
            } catch (RuntimeException e) {
                continue; // the reader refuses what is not JSON; conversion never sees it
            }
            long start = System.nanoTime();
            try {
                Object value = codec.fromJson(tree, type);
                java.io.StringWriter out = new java.io.StringWriter();
                codec.write(new com.google.gson.stream.JsonWriter(out), value, type);
            } catch (ConversionException e) {
                List<String> allowed = new ArrayList<>(quotedStrings(json));
                allowed.add(type.getTypeName());
                allowed.add(json);
                String internal = HostileFixture.internalsIn(String.valueOf(e.getMessage()), allowed);
                if (internal != null) {
                    failures.add("conversion message shows internals: " + leak(e.getMessage(), internal), i, input,
                            e.getMessage());
                }
            } catch (IllegalArgumentException e) {
                if (!String.valueOf(e.getMessage()).contains("the largest integer a page's number holds exactly")) {
                    failures.add("threw " + e.getClass().getName() + " converting to " + simple(type), i, input,
                            String.valueOf(e));
                } // else: read, but refused on the way back, as a long beyond 2^53 - 1 must be
            } catch (Throwable t) {
                failures.add("threw " + t.getClass().getName() + " converting to " + simple(type), i, input, String.valueOf(t));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (millis > 1000) {
                failures.add("slow (over 1 s) converting to " + simple(type), i, input, millis + " ms");
            }
        }
        failures.check();
    }

    private static String simple(Type type) {
        return type.getTypeName().replace(RequestFuzzTest.class.getName() + "$", "");
    }

    // =====================================================================================
    // Over HTTP: the endpoints and the dispatcher
    // =====================================================================================

    @Test
    void serverAnswersEveryRequestCleanly() {
        Failures failures = new Failures("HTTP");
        List<String> declaredTypes = new ArrayList<>();
        for (Method m : Target.class.getDeclaredMethods()) {
            for (Type t : m.getGenericParameterTypes()) {
                declaredTypes.add(t.getTypeName());
            }
        }
        // Incidents are detected from the replies; their logs would quote raw fuzz input (control
        // characters that also break surefire's XML report), so they are muted while fuzzing.
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.pagewire");
        java.util.logging.Level level = log.getLevel();
        log.setLevel(java.util.logging.Level.OFF);
        try {
            fuzzOverHttp(failures, declaredTypes);
        } finally {
            log.setLevel(level);
        }
        failures.check();
    }

    private static void fuzzOverHttp(Failures failures, List<String> declaredTypes) {
        PageClient page = new PageClient(server.port());
        page.handshake("/fuzz/");
        PageClient other = new PageClient(server.port());
        other.handshake("/fuzz/other/");
        for (int i = 0; i < HTTP_ITERATIONS; i++) {
            Random rnd = new Random(SEED ^ 0x4854_5450L ^ i * 0x9E37_79B9_7F4A_7C15L);
            int kind = rnd.nextInt(20);
            String path;
            byte[] body;
            Map<String, String> headers = new LinkedHashMap<>(page.pageHeaders());
            String contentType = "application/json";
            PageClient client = page;
            if (kind < 14) {
                path = "/call";
                body = rnd.nextInt(5) < 3 ? typedBatch(rnd).getBytes(StandardCharsets.UTF_8) : generate(rnd);
            } else if (kind < 16) {
                path = "/poll";
                body = mutate(rnd, rnd.nextBoolean() ? "{\"ack\":0}" : "{\"ack\":1,\"hold\":false}");
            } else if (kind < 17) {
                path = "/ack";
                body = mutate(rnd, "{\"ack\":0}");
            } else if (kind < 19) {
                path = "/handshake";
                client = other;
                headers.clear();
                body = mutate(rnd, "{\"path\":\"/fuzz/page.html?x=1#y\"}");
            } else {
                path = "/unload";
                client = other;
                headers.clear();
                contentType = rnd.nextBoolean() ? "text/plain" : "application/json";
                body = mutate(rnd, "{\"page\":\"" + other.pageId() + "\",\"token\":\"" + other.token() + "\"}");
            }
            String sent = new String(body, StandardCharsets.UTF_8);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/pagewire" + path))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::setHeader);
            PageClient.Reply r;
            try {
                r = client.send(b.build());
            } catch (UncheckedIOException e) {
                failures.add(e.getCause() instanceof HttpTimeoutException ? "hang (no answer in 10 s) on " + path
                        : "connection failed on " + path + ": " + e.getCause().getClass().getSimpleName(), i, body, String.valueOf(e));
                continue;
            }
            List<String> allowed = new ArrayList<>(declaredTypes);
            allowed.addAll(quotedStrings(sent));
            String problem = check(path, r, allowed);
            if (problem != null) {
                failures.add(problem + " on " + path, i, body, r.status() + " " + HostileFixture.clip(r.body()));
            }
            if (r.status() == 410) {
                // A fuzzed unload (or eviction) ended a page: legitimate; start again.
                if (client == page) {
                    page.handshake("/fuzz/");
                } else {
                    other.handshake("/fuzz/other/");
                }
            }
            if (i % 50 == 49 || i == HTTP_ITERATIONS - 1) {
                String health = healthy(page);
                if (health != null) {
                    failures.add("unhealthy after", i, body, health);
                    page = new PageClient(server.port());
                    page.handshake("/fuzz/");
                }
            }
        }
        assertEquals(null, healthy(page), "healthy at the end");
    }

    /** Null if {@code r} is a clean answer to a POST on {@code path}, else what is wrong. */
    static String check(String path, PageClient.Reply r, List<String> allowed) {
        int status = r.status();
        String body = r.body();
        if (status >= 500) {
            return "status " + status + " (the whole request failed): " + shape(body).replaceAll("incident \\w+", "incident …");
        }
        String internal = HostileFixture.internalsIn(body, allowed);
        if (internal != null) {
            return "status " + status + " body shows internals: " + leak(body, internal);
        }
        if (status == 204) {
            return path.equals("/ack") || path.equals("/unload") ? null : "204 on " + path;
        }
        JsonObject json;
        try {
            JsonElement e = JsonParser.parseString(body);
            if (!e.isJsonObject()) {
                return "reply is not a JSON object";
            }
            json = e.getAsJsonObject();
        } catch (RuntimeException e) {
            return "reply is not JSON";
        }
        if (status >= 400) {
            JsonObject error = json.getAsJsonObject("error");
            if (error == null || !error.has("code") || !error.has("message")) {
                return "refusal without error code and message";
            }
            String code = error.get("code").getAsString();
            Integer expected = CODES.get(code);
            if (expected == null || expected != status) {
                return "undocumented refusal " + status + " " + code;
            }
            return null;
        }
        if (status != 200) {
            return "unexpected status " + status;
        }
        return switch (path) {
            case "/call" -> checkReplies(json);
            case "/poll" -> json.has("updates") && json.get("updates").isJsonArray() ? null : "poll reply without updates";
            case "/handshake" -> json.has("page") && json.has("token") ? null : "handshake reply without session";
            default -> "200 on " + path;
        };
    }

    private static String checkReplies(JsonObject json) {
        if (!json.has("replies") || !json.get("replies").isJsonArray()) {
            return "call reply without replies";
        }
        for (String key : json.keySet()) {
            if (!key.equals("replies") && !key.equals("updates") && !key.equals("time")) {
                return "unknown member " + key;
            }
        }
        for (JsonElement e : json.getAsJsonArray("replies")) {
            if (!e.isJsonObject()) {
                return "a reply that is not an object";
            }
            JsonObject reply = e.getAsJsonObject();
            if (!reply.has("id") || !reply.get("id").isJsonPrimitive() || !reply.get("id").getAsJsonPrimitive().isNumber()) {
                return "a reply without a numeric id";
            }
            if (reply.has("result") && reply.has("error")) {
                return "a reply with result and error";
            }
            if (reply.has("error")) {
                JsonObject error = reply.getAsJsonObject("error");
                String code = error.has("code") ? error.get("code").getAsString() : "(none)";
                if (!CALL_CODES.contains(code)) {
                    return "unknown per-call code " + code;
                }
                if (code.equals("INTERNAL") || code.equals("EXCEPTION")) {
                    return "per-call " + code + " (the fuzz target never throws)";
                }
            }
        }
        return null;
    }

    private static String healthy(PageClient page) {
        PageClient.Reply r = page.batch().call("Target", "echo", "ok").send();
        if (r.status() == 410) {
            page.handshake("/fuzz/");
            r = page.batch().call("Target", "echo", "ok").send();
        }
        return r.status() == 200 && r.body().contains("\"result\":\"ok\"") ? null : r.status() + " " + r.body();
    }

    // =====================================================================================
    // Generation and mutation
    // =====================================================================================

    /** One fuzz input: a mutated seed, or a random well-typed batch (sometimes mutated too). */
    static byte[] generate(Random rnd) {
        String base = rnd.nextInt(5) == 0 ? randomBatch(rnd) : SEEDS.get(rnd.nextInt(SEEDS.size()));
        if (rnd.nextInt(8) == 0) {
            return base.getBytes(StandardCharsets.UTF_8); // unmutated: reaches the dispatcher intact
        }
        return mutate(rnd, base);
    }

    /** 1 to 4 mutations of {@code text}, the last possibly at the byte level. */
    static byte[] mutate(Random rnd, String text) {
        String s = text;
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            s = mutateOnce(rnd, s);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(10) == 0) {
            bytes = invalidUtf8(rnd, bytes);
        }
        return bytes;
    }

    static String mutateOnce(Random rnd, String s) {
        int len = s.length();
        int at = len == 0 ? 0 : rnd.nextInt(len + 1);
        switch (rnd.nextInt(12)) {
            case 0: { // flip a character
                if (len == 0) {
                    return s;
                }
                int p = rnd.nextInt(len);
                return s.substring(0, p) + INTERESTING_CHARS.charAt(rnd.nextInt(INTERESTING_CHARS.length())) + s.substring(p + 1);
            }
            case 1: // truncate
                return s.substring(0, at);
            case 2: // insert a JSON token
                return s.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(at);
            case 3: { // delete a range
                int end = Math.min(len, at + 1 + rnd.nextInt(12));
                return s.substring(0, at) + s.substring(end);
            }
            case 4: { // duplicate a range
                int end = Math.min(len, at + 1 + rnd.nextInt(40));
                return s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
            case 5: { // nesting burst
                int depth = 1 + rnd.nextInt(rnd.nextBoolean() ? 80 : 400);
                String burst = rnd.nextBoolean()
                        ? "[".repeat(depth) + (rnd.nextBoolean() ? "]".repeat(depth) : "")
                        : "{\"a\":".repeat(depth) + "1" + (rnd.nextBoolean() ? "}".repeat(depth) : "");
                int value = valuePosition(rnd, s);
                return s.substring(0, value) + burst + s.substring(value);
            }
            case 6: // random unicode, lone surrogates included
                return s.substring(0, at) + randomUnicode(rnd, 1 + rnd.nextInt(6)) + s.substring(at);
            case 7: { // a huge or odd number in place of a value
                int value = valuePosition(rnd, s);
                return s.substring(0, value) + hugeNumber(rnd) + (rnd.nextBoolean() ? "," : "") + s.substring(value);
            }
            case 8: { // a duplicate key right after an opening brace
                int brace = s.indexOf('{', at == len ? 0 : at);
                if (brace < 0) {
                    return s;
                }
                String[] dup = {"\"calls\":[],", "\"id\":\"dup\",", "\"args\":{},", "\"ack\":-7,", "\"proxy\":\"Target\",",
                        "\"method\":\"nothing\",", "\"x\":1,", "\"name\":null,", "\"n\":-1,", "\"calls\":[{\"id\":1,\"proxy\":\"Target\",\"method\":\"echo\",\"args\":[\"d\"]}],"};
                return s.substring(0, brace + 1) + dup[rnd.nextInt(dup.length)] + s.substring(brace + 1);
            }
            case 9: { // replace the value after a colon with a random JSON value
                int colon = s.indexOf(':', at == len ? 0 : at);
                if (colon < 0) {
                    return s;
                }
                int end = endOfValue(s, colon + 1);
                return s.substring(0, colon + 1) + randomJson(rnd, 3) + s.substring(end);
            }
            case 10: { // replace an array element with a random JSON value
                int bracket = s.indexOf('[', at == len ? 0 : at);
                if (bracket < 0) {
                    return s;
                }
                int end = endOfValue(s, bracket + 1);
                return s.substring(0, bracket + 1) + randomJson(rnd, 3) + s.substring(end);
            }
            default: // swap two characters
                if (len < 2) {
                    return s;
                }
                int p = rnd.nextInt(len - 1);
                return s.substring(0, p) + s.charAt(p + 1) + s.charAt(p) + s.substring(p + 2);
        }
    }

    /** A position just after a ':' or '[' or ',' (where a value may start), else anywhere. */
    private static int valuePosition(Random rnd, String s) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '[' || c == ',') {
                positions.add(i + 1);
            }
        }
        return positions.isEmpty() ? rnd.nextInt(s.length() + 1) : positions.get(rnd.nextInt(positions.size()));
    }

    /** Roughly where the JSON value starting at {@code from} ends (naive; fuzzing need not be exact). */
    private static int endOfValue(String s, int from) {
        int depth = 0;
        boolean string = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    static String hugeNumber(Random rnd) {
        return switch (rnd.nextInt(9)) {
            case 0 -> "9".repeat(1 + rnd.nextInt(2000));
            case 1 -> "-" + "1".repeat(1 + rnd.nextInt(400));
            case 2 -> "1e" + (rnd.nextBoolean() ? "" : "-") + (1 + rnd.nextInt(Integer.MAX_VALUE));
            case 3 -> "0." + "0".repeat(rnd.nextInt(500)) + "1";
            case 4 -> "\"" + "9".repeat(1 + rnd.nextInt(1500)) + "\"";
            case 5 -> "\"" + rnd.nextLong() + "e" + rnd.nextInt() + "\"";
            case 6 -> rnd.nextBoolean() ? "9223372036854775808" : "-9223372036854775809";
            case 7 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(700) - 350));
            default -> "-0";
        };
    }

    static String randomUnicode(Random rnd, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> out.append((char) (0xD800 + rnd.nextInt(0x800)));   // lone surrogate
                case 1 -> out.appendCodePoint(0x1F300 + rnd.nextInt(0x300));  // astral (a pair)
                case 2 -> out.append((char) rnd.nextInt(0x20));                // control
                case 3 -> out.append("\u2028\u2029\ufeff\ufffe\uffff\u0000".charAt(rnd.nextInt(6)));
                case 4 -> out.append((char) (0x80 + rnd.nextInt(0x780)));
                default -> out.append((char) rnd.nextInt(0x10000));
            }
        }
        return out.toString();
    }

    static byte[] invalidUtf8(Random rnd, byte[] bytes) {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAE}, {(byte) 0xE0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xC3}};
        int at = rnd.nextInt(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(bad[rnd.nextInt(bad.length)]);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** A random JSON value of random type, at most {@code depth} deep. */
    static String randomJson(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> rnd.nextBoolean() ? "true" : "false";
            case 2 -> String.valueOf(rnd.nextInt(2000) - 1000);
            case 3 -> rnd.nextBoolean() ? hugeNumber(rnd) : String.valueOf(rnd.nextDouble() * 1e6);
            case 4 -> GSON.toJson(randomUnicode(rnd, rnd.nextInt(8)));
            case 5 -> GSON.toJson(List.of("RED", "PT1H", "2026-01-01", "x", "", "Europe/Paris", "1700000000000",
                    "123e4567-e89b-12d3-a456-426614174000", "9007199254740993").get(rnd.nextInt(9)));
            case 6, 7 -> {
                StringBuilder a = new StringBuilder("[");
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.append(i == 0 ? "" : ",").append(randomJson(rnd, depth - 1));
                }
                yield a.append(']').toString();
            }
            default -> {
                StringBuilder o = new StringBuilder("{");
                int n = rnd.nextInt(4);
                String[] keys = {"x", "y", "name", "children", "points", "n", "label", "count", "tags", "color", "RED", "a", "@class"};
                for (int i = 0; i < n; i++) {
                    o.append(i == 0 ? "" : ",").append('"').append(keys[rnd.nextInt(keys.length)]).append("\":")
                            .append(randomJson(rnd, depth - 1));
                }
                yield o.append('}').toString();
            }
        };
    }

    /** Target's methods in a fixed order (reflection's order is unspecified), so seeds replay. */
    static List<Method> sortedMethods() {
        return METHODS;
    }

    private static final List<Method> METHODS = List.copyOf(java.util.Arrays.stream(Target.class.getDeclaredMethods())
            .sorted(java.util.Comparator.comparing(Method::toGenericString)).toList());

    /** A batch of 1 to 5 calls to random Target methods with type-aware random arguments. */
    static String typedBatch(Random rnd) {
        List<Method> methods = sortedMethods();
        StringBuilder b = new StringBuilder("{\"ack\":0,\"calls\":[");
        int calls = 1 + rnd.nextInt(5);
        for (int i = 0; i < calls; i++) {
            Method m = methods.get(rnd.nextInt(methods.size()));
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"proxy\":\"Target\",\"method\":\"")
                    .append(m.getName()).append("\",\"args\":[");
            boolean first = true;
            for (Type t : m.getGenericParameterTypes()) {
                if (t == HttpServletRequest.class) {
                    continue;
                }
                b.append(first ? "" : ",").append(rnd.nextInt(12) == 0 ? randomJson(rnd, 3) : valueFor(t, rnd, 4));
                first = false;
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /** JSON for a value of {@code type}: mostly plausible, often at the edges, sometimes wrong. */
    static String valueFor(Type type, Random rnd, int depth) {
        if (rnd.nextInt(25) == 0) {
            return "null";
        }
        if (rnd.nextInt(30) == 0 || depth <= 0) {
            return randomJson(rnd, Math.max(0, depth));
        }
        Gson gson = GSON;
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == Optional.class) {
                return rnd.nextInt(3) == 0 ? "null" : valueFor(args[0], rnd, depth - 1);
            }
            if (raw == Map.class) {
                StringBuilder o = new StringBuilder("{");
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    String key = args[0] instanceof Class<?> k && k.isEnum()
                            ? (rnd.nextInt(6) == 0 ? "PURPLE" : ((Enum<?>) k.getEnumConstants()[rnd.nextInt(k.getEnumConstants().length)]).name())
                            : randomUnicode(rnd, rnd.nextInt(4));
                    o.append(i == 0 ? "" : ",").append(gson.toJson(key)).append(':').append(valueFor(args[1], rnd, depth - 1));
                }
                return o.append('}').toString();
            }
            return array(args[0], rnd, depth); // List, Set, Collection
        }
        Class<?> c = (Class<?>) type;
        if (c.isArray()) {
            return array(c.getComponentType(), rnd, depth);
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class) {
            String[] edges = {"0", "-0", "1", "-1", "127", "128", "-129", "32767", "32768", "2147483647", "2147483648",
                    "-2147483649", "9223372036854775807", "9223372036854775808", "1e2", "1.5", "1e400", "\"12\"",
                    "\"0x10\"", "\" 7 \"", "\"\"", "\"1e99999999\"", "true", "\"NaN\""};
            return rnd.nextBoolean() ? String.valueOf(rnd.nextInt()) : edges[rnd.nextInt(edges.length)];
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            String[] edges = {"0", "-0.0", "1e308", "1e309", "3.4028235e38", "3.5e38", "4.9e-324", "1e-400", "\"NaN\"",
                    "\"Infinity\"", "\"0x1p3\"", "\"1d\"", "\"\"", "1E+2"};
            return rnd.nextBoolean() ? String.valueOf(rnd.nextGaussian() * 1e6) : edges[rnd.nextInt(edges.length)];
        }
        if (c == boolean.class || c == Boolean.class) {
            return new String[] {"true", "false", "\"true\"", "1", "0"}[rnd.nextInt(5)];
        }
        if (c == char.class || c == Character.class) {
            return gson.toJson(new String[] {"x", "", "xy", "\ud800", "\ud83d\ude00", "\u0000"}[rnd.nextInt(6)]);
        }
        if (c == String.class) {
            return gson.toJson(randomUnicode(rnd, rnd.nextInt(10)));
        }
        if (c == BigDecimal.class || c == BigInteger.class) {
            return rnd.nextBoolean() ? hugeNumber(rnd) : new String[] {"0", "1.50", "-1e5", "\"1e5\"", "1e9999", "1e10000",
                    "\"12345678901234567890\""}[rnd.nextInt(7)];
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return rnd.nextInt(5) == 0 ? gson.toJson(new String[] {"PURPLE", "red", "", "0", CANARY_NAME}[rnd.nextInt(5)])
                    : gson.toJson(((Enum<?>) constants[rnd.nextInt(constants.length)]).name());
        }
        if (c == Instant.class) {
            return new String[] {"\"2026-11-22T10:00:00Z\"", "1700000000000", "9223372036854775807", "-9223372036854775808",
                    "\"+1000000000-01-01T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"", "1.5", "\"\""}[rnd.nextInt(8)];
        }
        if (c == LocalDate.class) {
            return new String[] {"\"2026-02-28\"", "\"2026-02-30\"", "\"+999999999-12-31\"", "\"-999999999-01-01\"",
                    "\"+1000000000-01-01\"", "\"0000-00-00\""}[rnd.nextInt(6)];
        }
        if (c == Duration.class) {
            return new String[] {"\"PT1H\"", "\"PT9999999999999999999H\"", "\"P106751991167300DT\"", "\"-PT0.000000001S\"",
                    "\"PT-9223372036854775808S\"", "\"P\""}[rnd.nextInt(6)];
        }
        if (c == ZoneId.class) {
            return new String[] {"\"Europe/Paris\"", "\"UTC+25\"", "\"../../etc/localtime\"", "\"GMT+18:00\"",
                    "\"Z\"", "\"SystemV/AST4\"", "\"\""}[rnd.nextInt(7)];
        }
        if (c == UUID.class) {
            return new String[] {"\"123e4567-e89b-12d3-a456-426614174000\"", "\"1-1-1-1-1\"", "\"zzzz\"",
                    "\"123e4567-e89b-12d3-a456-4266141740000000\""}[rnd.nextInt(4)];
        }
        if (c.isRecord() || c.isAnnotationPresent(DataTransferObject.class)) {
            StringBuilder o = new StringBuilder("{");
            boolean first = true;
            List<java.util.Map.Entry<String, Type>> members = new ArrayList<>();
            if (c.isRecord()) {
                for (var rc : c.getRecordComponents()) {
                    members.add(Map.entry(rc.getName(), rc.getGenericType()));
                }
            } else {
                for (var f : c.getFields()) {
                    members.add(Map.entry(f.getName(), f.getGenericType()));
                }
            }
            for (var member : members) {
                if (rnd.nextInt(8) == 0) {
                    continue; // missing
                }
                o.append(first ? "" : ",").append('"').append(member.getKey()).append("\":")
                        .append(valueFor(member.getValue(), rnd, depth - 1));
                first = false;
            }
            if (rnd.nextInt(6) == 0) {
                o.append(first ? "" : ",").append("\"@class\":\"").append(CANARY_NAME).append('"');
            }
            return o.append('}').toString();
        }
        return randomJson(rnd, depth);
    }

    private static String array(Type element, Random rnd, int depth) {
        StringBuilder a = new StringBuilder("[");
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            a.append(i == 0 ? "" : ",").append(rnd.nextInt(10) == 0 ? "null" : valueFor(element, rnd, depth - 1));
        }
        return a.append(']').toString();
    }

    static final String CANARY_NAME = HostileFixture.CANARY;
    static final Gson GSON = new Gson();

    /** A well-formed batch of 0 to 5 calls to random Target methods with random arguments. */
    static String randomBatch(Random rnd) {
        List<Method> methods = sortedMethods();
        StringBuilder b = new StringBuilder("{\"ack\":").append(rnd.nextInt(3)).append(",\"calls\":[");
        int calls = rnd.nextInt(6);
        for (int i = 0; i < calls; i++) {
            Method m = methods.get(rnd.nextInt(methods.size()));
            int arity = (int) java.util.Arrays.stream(m.getParameterTypes())
                    .filter(t -> t != HttpServletRequest.class).count();
            if (rnd.nextInt(10) == 0) {
                arity = rnd.nextInt(4);
            }
            b.append(i == 0 ? "" : ",").append("{\"id\":").append(rnd.nextInt(1000)).append(",\"proxy\":\"Target\",\"method\":\"")
                    .append(m.getName()).append("\",\"args\":[");
            for (int a = 0; a < arity; a++) {
                b.append(a == 0 ? "" : ",").append(randomJson(rnd, 4));
            }
            b.append("]}");
        }
        return b.append("]}").toString();
    }

    /** The string literals of a (possibly broken) JSON text: input a reply may legitimately quote. */
    static List<String> quotedStrings(String text) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
        while (m.find()) {
            if (m.group(1).length() >= 3) {
                out.add(m.group(1));
                try {
                    out.add(GSON.fromJson("\"" + m.group(1) + "\"", String.class));
                } catch (RuntimeException e) {
                    // not a valid string literal: the raw text is enough
                }
            }
        }
        return out;
    }

    /** {@code s} in printable ASCII (Java escapes), clipped to {@code max} characters. */
    static String escape(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.length() >= max ? out + "...(" + s.length() + " chars)" : out.toString();
    }

    /** What leaks, to group failures: the first class name in {@code text}, else the marker found. */
    static String leak(String text, String marker) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*").matcher(text);
        return m.find() ? m.group() : "'" + marker.trim() + "'";
    }

    /** A message with digits and quoted input blurred, to group failures by kind. */
    static String shape(String message) {
        if (message == null) {
            return "null";
        }
        String m = message.replaceAll("'[^']*'", "'…'").replaceAll("\\$[.\\[\\]\\w]*", "\\$…").replaceAll("\\d+", "N");
        int at = m.indexOf(" at line");
        m = at > 0 ? m.substring(0, at) : m;
        return m.length() > 140 ? m.substring(0, 140) + "…" : m;
    }

    // =====================================================================================
    // Collecting failures
    // =====================================================================================

    /** Distinct failures by signature, with a count and the first input of each. */
    static final class Failures {
        private final String where;
        private final Map<String, String> first = new LinkedHashMap<>();
        private final Map<String, Integer> counts = new LinkedHashMap<>();

        Failures(String where) {
            this.where = where;
        }

        void add(String signature, int iteration, byte[] input, String detail) {
            counts.merge(signature, 1, Integer::sum);
            first.computeIfAbsent(signature, k -> "iteration " + iteration + " (fuzz.seed=" + SEED + "): input "
                    + escape(new String(input, StandardCharsets.UTF_8), 400) + "\n      -> " + escape(detail, 400));
        }

        void check() {
            if (first.isEmpty()) {
                return;
            }
            StringBuilder report = new StringBuilder(where + ": " + first.size() + " kind(s) of failure (seed " + SEED + "):");
            int shown = 0;
            for (var e : first.entrySet()) {
                if (shown++ == 25) {
                    report.append("\n  ... and ").append(first.size() - 25).append(" more kinds");
                    break;
                }
                report.append("\n  [").append(counts.get(e.getKey())).append("x] ").append(e.getKey())
                        .append("\n      first: ").append(e.getValue());
            }
            fail(report.toString());
        }
    }
}
