package dev.pagewire.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The client's HTTP: one JDK {@link HttpClient} (HTTP/1.1, as browsers speak to Pagewire) with a
 * cookie jar of its own, so the HTTP session cookie and the {@code pagewire} browser cookie the
 * handshake sets travel with every later request, as a browser's would. Every request carries
 * {@code Origin} set to the base's origin, as a page of that origin would send.
 *
 * <p>Threading: requests are asynchronous; their replies complete futures on the client's HTTP
 * executor ({@code pagewire-client-N-http}), which also runs what callers chain on them.
 */
final class WireHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String base; // the mount's URL, without a trailing slash
    private final String origin;
    private final HttpClient http;
    private final Executor executor;

    WireHttp(URI base, Executor executor) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.origin = originOf(base);
        this.executor = executor;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    /**
     * {@code POST {base}{path}} with a JSON body and, for a page, its {@code Pagewire-Page} and
     * {@code Pagewire-Token} headers; {@code timeout} null waits as long as the server takes.
     * Fails only when no reply came (an {@link IOException}).
     */
    CompletableFuture<WireReply> post(String path, String json, Page page, Duration timeout) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (page != null) {
            request.header("Pagewire-Page", page.id).header("Pagewire-Token", page.token);
        }
        if (timeout != null) {
            request.timeout(timeout);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(WireHttp::readReply);
    }

    /**
     * {@code GET {base}/stream?page=&token=&ack=}: the page's SSE stream, its lines handed to
     * {@code lines}. The future completes when the stream ends.
     */
    CompletableFuture<HttpResponse<Void>> openStream(Page page, long ack, StreamLines lines) {
        String query = "?page=" + encode(page.id) + "&token=" + encode(page.token) + "&ack=" + ack;
        HttpRequest request = request("/stream" + query).header("Accept", "text/event-stream").GET().build();
        return http.sendAsync(request, lines::bodyFor);
    }

    /**
     * {@code GET {base}/socket}, upgraded to a WebSocket ({@code ws:} or {@code wss:} as the base's
     * scheme) with the cookies and {@code Origin} of every request; the page's id and token go in
     * its first frame, never in the URL. Fails with a {@link java.net.http.WebSocketHandshakeException}
     * when the server refuses the upgrade.
     */
    CompletableFuture<WebSocket> openSocket(SocketLink link) {
        String socketUrl = base.replaceFirst("^http", "ws") + "/socket";
        CompletableFuture<WebSocket> socket = http.newWebSocketBuilder().header("Origin", origin)
                .connectTimeout(CONNECT_TIMEOUT).buildAsync(URI.create(socketUrl), link);
        link.opening(socket);
        return socket;
    }

    /** {@code url} (a download's, such as {@code /pagewire/download/X}) against the base. */
    URI resolve(String url) {
        return URI.create(base + "/").resolve(url);
    }

    /**
     * {@code GET url} with the cookies and {@code Origin}: the body as a stream on a 2xx status,
     * else the server's refusal thrown.
     */
    InputStream download(URI url) {
        HttpResponse<InputStream> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).header("Origin", origin).GET().build();
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw Faults.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PagewireCallException("NETWORK", "interrupted while fetching " + url, null, null, e);
        }
        if (response.statusCode() / 100 == 2) {
            return response.body();
        }
        try (InputStream error = response.body()) {
            String json = new String(error.readAllBytes(), StandardCharsets.UTF_8);
            throw new WireReply(response.statusCode(), WireJson.parseObject(json), 0).refusal();
        } catch (IOException e) {
            throw Faults.of(e);
        }
    }

    /** The executor of the HTTP threads, on which calls' futures complete. */
    Executor executor() {
        return executor;
    }

    /** {@code POST unload} for a page going away, as the engine's beacon; the reply does not matter. */
    CompletableFuture<?> unload(Page page) {
        String json = "{\"page\":" + WireJson.write(page.id) + ",\"token\":" + WireJson.write(page.token) + "}";
        HttpRequest request = request("/unload").header("Content-Type", "text/plain;charset=UTF-8")
                .timeout(CONNECT_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Origin", origin);
    }

    private static WireReply readReply(HttpResponse<String> response) {
        long retryAfter = response.headers().firstValue("Retry-After").map(WireHttp::seconds).orElse(0L);
        return new WireReply(response.statusCode(), WireJson.parseObject(response.body()), retryAfter);
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0; // an HTTP date: wait as after any refusal
        }
    }

    private static String originOf(URI base) {
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("the base must be an absolute http(s) URL, such as http://host:8080/pagewire: " + base);
        }
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
