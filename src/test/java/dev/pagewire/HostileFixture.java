package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The server, the exposed classes and the checks shared by the {@code Hostile*Test} classes, one
 * class per kind of hostile input; each class starts its own server and ends it.
 *
 * <p>Hostile requests against a real embedded Tomcat (port 0) serving Pagewire with its documented
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
 * {@code java.lang.String} or {@code java.util.List<dev.pagewire.HostileFixture$Point>} may
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
 * <p>Cases that name a regression found by {@link RequestFuzzTest} say so in their name.
 */
abstract class HostileFixture {
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

    /** The server of the test class that runs now, and a page of it: set by {@link #start()}. */
    static Pagewire pagewire;
    @AutoClose
    static TestServer server;
    static PageClient page;

    @BeforeAll
    static void start() {
        server = TestServer.start(Pagewire.builder().expose(new Echo()).expose(Guarded.class).expose(new Child())
                .handshakesPerMinute(1_000_000)); // hundreds of pages from one address
        pagewire = server.pagewire();
        page = server.page("/hostile/");
        CANARY_TOUCHES.set(0);
    }

    /** A normal call still works. */
    static void assertHealthy() {
        PageClient.Reply r = page.post("/call", "{\"calls\":[" + oneCall("echo", "\"ok\"") + "]}", page.pageHeaders());
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

    static final List<String> INTERNALS = List.of("Exception", "\tat ", "at dev.", "at java.", "at com.",
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

    static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    static String errorCode(String body) {
        return JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("error").get("code").getAsString();
    }

    static String oneCall(String method, String argJson) {
        return "{\"id\":1,\"proxy\":\"Echo\",\"method\":\"" + method + "\",\"args\":[" + argJson + "]}";
    }

    static String one(String method, String argJson) {
        return "[" + oneCall(method, argJson) + "]";
    }

    static String call(String method, String argJson) {
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

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, String b) {
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

    static InputStream generated(long size, java.util.function.LongFunction<Byte> at) {
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
            int status = Integer.parseInt(RawHttp.readLine(in).split(" ")[1]);
            Map<String, String> h = new HashMap<>();
            for (String line = RawHttp.readLine(in); !line.isEmpty(); line = RawHttp.readLine(in)) {
                int colon = line.indexOf(':');
                h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(RawHttp.readLine(in).trim(), 16); size > 0;
                     size = Integer.parseInt(RawHttp.readLine(in).trim(), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    RawHttp.readLine(in);
                }
            } else {
                body.writeBytes(in.readNBytes(Integer.parseInt(h.getOrDefault("content-length", "0"))));
            }
            return new Streamed(status, body.toString(StandardCharsets.UTF_8), written,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
