package dev.pagewire.testing;

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
import java.util.Map;

/**
 * Speaks Pagewire's protocol over real HTTP, as a page would: one cookie jar (the HTTP session),
 * a handshake, then calls with the session headers. For tests.
 */
public final class PageClient {
    private final String base;
    private final HttpClient http;
    private final CookieManager cookies = new CookieManager();
    private String session;
    private String token;

    public PageClient(int port) {
        this(port, "/pagewire");
    }

    /** A client for a server mounted at {@code mount}, such as {@code /app/rpc}. */
    public PageClient(int port, String mount) {
        this.base = "http://localhost:" + port + mount;
        this.http = HttpClient.newBuilder().cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A reply: status, headers and body. */
    public record Reply(int status, String body, HttpResponse<String> raw) {
        public JsonObject json() {
            JsonElement e = JsonParser.parseString(body);
            return e.getAsJsonObject();
        }

        /** The request-level error code, for refused requests. */
        public String errorCode() {
            return json().getAsJsonObject("error").get("code").getAsString();
        }
    }

    /** Makes the handshake for {@code page}; later calls use its session. */
    public JsonObject handshake(String page) {
        Reply r = post("/session", "{\"page\":\"" + page + "\"}", Map.of());
        if (r.status() != 200) {
            throw new AssertionError("handshake failed: " + r.status() + " " + r.body());
        }
        JsonObject json = r.json();
        session = json.get("session").getAsString();
        token = json.get("token").getAsString();
        return json;
    }

    /** The {@code Cookie} header this client sends (its HTTP session), for raw requests. */
    public String cookieHeader() {
        return String.join("; ", cookies.getCookieStore().getCookies().stream().map(Object::toString).toList());
    }

    public String sessionId() {
        return session;
    }

    public String token() {
        return token;
    }

    /** Sends {@code {"calls":[...]}} built from {@code callsJson} with this page's headers. */
    public Reply calls(String callsJson) {
        return post("/call", "{\"calls\":" + callsJson + "}", sessionHeaders());
    }

    /** One call; returns its reply object ({@code result} or {@code error}). */
    public JsonObject call(String proxy, String method, String argsJson) {
        Reply r = calls("[{\"id\":1,\"proxy\":\"" + proxy + "\",\"method\":\"" + method + "\",\"args\":" + argsJson + "}]");
        if (r.status() != 200) {
            throw new AssertionError("call refused: " + r.status() + " " + r.body());
        }
        return r.json().getAsJsonArray("replies").get(0).getAsJsonObject();
    }

    public Map<String, String> sessionHeaders() {
        return Map.of("Pagewire-Session", session, "Pagewire-Token", token);
    }

    public Reply post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::setHeader);
        return send(b.build());
    }

    public Reply get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(b::setHeader);
        return send(b.build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
