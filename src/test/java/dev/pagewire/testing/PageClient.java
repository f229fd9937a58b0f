package dev.pagewire.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speaks Pagewire's protocol over real HTTP, as a page would: one cookie jar (the HTTP session),
 * a handshake, then calls with the page headers. For tests.
 */
public final class PageClient {
    /** Writes call arguments: nulls kept, and markup characters as they are, not escaped. */
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final List<String> bases;
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient http;
    private final CookieManager cookies;
    private String pageId;
    private String token;

    /** A client for a server on {@code port} with Pagewire mounted at {@code /pagewire}. */
    public PageClient(int port) {
        this(port, "/pagewire");
    }

    /** A client for a server mounted at {@code mount}, such as {@code /app/rpc}. */
    public PageClient(int port, String mount) {
        this(List.of(port), mount);
    }

    private PageClient(List<Integer> ports, String mount) {
        this(ports.stream().map(p -> "http://localhost:" + p + mount).toList(), new CookieManager());
    }

    private PageClient(List<String> bases, CookieManager cookies) {
        this.bases = bases;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder().cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The same browser and page (cookie jar, page id and token) with its requests sent to the
     * node on {@code port} (same mount): a page that moves to another node, as a balancer may
     * send it.
     */
    public PageClient at(int port) {
        String mount = URI.create(bases.get(0)).getPath();
        PageClient moved = new PageClient(List.of("http://localhost:" + port + mount), cookies);
        moved.pageId = pageId;
        moved.token = token;
        return moved;
    }

    /**
     * A client that sends each request to the next of {@code ports} in turn (one browser, one
     * cookie jar, as behind a round-robin balancer), with Pagewire mounted at {@code /pagewire}.
     */
    public static PageClient roundRobin(int... ports) {
        return new PageClient(java.util.Arrays.stream(ports).boxed().toList(), "/pagewire");
    }

    private String base() {
        return bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
    }

    /** A reply: status, headers and body. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        /** The body as a JSON object. */
        public JsonObject json() {
            JsonElement e = JsonParser.parseString(body);
            return e.getAsJsonObject();
        }

        /**
         * The reply object of the {@code index}th call of a batch ({@code result} or {@code error});
         * a refused request fails the test.
         */
        public JsonObject reply(int index) {
            if (status != 200) {
                throw new AssertionError("calls refused: " + status + " " + body);
            }
            return json().getAsJsonArray("replies").get(index).getAsJsonObject();
        }

        /** The request-level error code, for refused requests. */
        public String errorCode() {
            return json().getAsJsonObject("error").get("code").getAsString();
        }
    }

    /** Makes the handshake for the page at {@code path}; later calls use its id and token. */
    public JsonObject handshake(String path) {
        Reply r = post("/handshake", "{\"path\":\"" + path + "\"}", Map.of());
        if (r.status() != 200) {
            throw new AssertionError("handshake failed: " + r.status() + " " + r.body());
        }
        JsonObject json = r.json();
        pageId = json.get("page").getAsString();
        token = json.get("token").getAsString();
        return json;
    }

    /** The {@code Cookie} header this client sends (its HTTP session), for raw requests. */
    public String cookieHeader() {
        return String.join("; ", cookies.getCookieStore().getCookies().stream().map(Object::toString).toList());
    }

    /** The page id of the last handshake. */
    public String pageId() {
        return pageId;
    }

    /** The token of the last handshake. */
    public String token() {
        return token;
    }

    /** Sends {@code {"calls":[...]}} built from {@code callsJson} with this page's headers. */
    public Reply calls(String callsJson) {
        return post("/call", "{\"calls\":" + callsJson + "}", pageHeaders());
    }

    /**
     * One call whose arguments are Java values, written as a JSON array by gson (records and maps
     * as objects, {@code null} as null): {@code call("Shop", "add", 1, 2)}. Returns the call's reply
     * object ({@code result} or {@code error}); a refused request fails the test.
     */
    public JsonObject call(String proxy, String method, Object... args) {
        return batch().call(proxy, method, args).send().reply(0);
    }

    /**
     * One call whose arguments are sent exactly as {@code argsJson} is written, for tests about the
     * bytes themselves: {@code callRaw("Strict", "text", "[42]")}. Returns the call's reply object.
     */
    public JsonObject callRaw(String proxy, String method, String argsJson) {
        return batch().callRaw(proxy, method, argsJson).send().reply(0);
    }

    /** A batch of calls sent as one request: {@code client.batch().call(..).call(..).send()}. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * The calls of one request, numbered 1, 2, 3 in the order they are added, with this page's
     * page headers.
     */
    public final class Batch {
        private final List<String> calls = new ArrayList<>();
        private String ack = "";

        private Batch() {
        }

        /** Adds a call whose arguments are Java values, written as JSON by gson. */
        public Batch call(String proxy, String method, Object... args) {
            return callRaw(proxy, method, GSON.toJson(args));
        }

        /** Adds a call whose arguments are sent exactly as {@code argsJson} is written. */
        public Batch callRaw(String proxy, String method, String argsJson) {
            calls.add("{\"id\":" + (calls.size() + 1) + ",\"proxy\":" + GSON.toJson(proxy)
                    + ",\"method\":" + GSON.toJson(method) + ",\"args\":" + argsJson + "}");
            return this;
        }

        /** Acknowledges the updates up to {@code seq} with the calls, as a passive page does. */
        public Batch ack(long seq) {
            ack = "\"ack\":" + seq + ",";
            return this;
        }

        /** Sends the calls with this page's headers; the reply is returned whatever its status. */
        public Reply send() {
            return post("/call", body(), pageHeaders());
        }

        /** The request body, for a test that sends it with headers of its own. */
        public String body() {
            return "{" + ack + "\"calls\":[" + String.join(",", calls) + "]}";
        }
    }

    /** The {@code Pagewire-Page} and {@code Pagewire-Token} headers of the last handshake. */
    public Map<String, String> pageHeaders() {
        return Map.of("Pagewire-Page", pageId, "Pagewire-Token", token);
    }

    /** POSTs {@code body} as JSON to {@code path} below the mount, with this client's cookies. */
    public Reply post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::setHeader);
        return send(b.build());
    }

    /** GETs {@code path} below the mount, with this client's cookies. */
    public Reply get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::setHeader);
        return send(b.build());
    }

    /**
     * The absolute URL of {@code path}: below the mount ({@code /call}), or a path the server
     * gave that starts with the mount ({@code /pagewire/download/...}).
     */
    public URI uri(String path) {
        URI base = URI.create(base());
        return path.startsWith(base.getPath() + "/") ? base.resolve(path) : URI.create(base + path);
    }

    /** Sends {@code request} with this client's cookies. */
    public Reply send(HttpRequest request) {
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    /** Sends {@code request} with this client's cookies, its body read by {@code body}. */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
