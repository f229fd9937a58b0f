package dev.pagewire.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A page's WebSocket over real TCP, with the JDK's client: sends frames, collects what the server
 * sends, and can stop reading ({@link #stopReading()}) or cut the connection ({@link #cut()}).
 *
 * <pre>{@code
 * try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
 *     socket.hello(page, 0);
 *     JsonObject open = socket.next();
 * }
 * }</pre>
 */
public final class SocketClient implements AutoCloseable {
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private volatile boolean reading = true;

    private SocketClient(int port, String cookie, String origin) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        builder.header("Origin", origin != null ? origin : "http://localhost:" + port);
        this.socket = builder.buildAsync(URI.create("ws://localhost:" + port + "/pagewire/socket"), new Listener()).join();
    }

    /**
     * Opens {@code /pagewire/socket} on {@code port} with the page's cookie and an {@code Origin}
     * ({@code null}: the server's own).
     *
     * @throws java.util.concurrent.CompletionException when the upgrade is refused
     */
    public static SocketClient open(int port, String cookie, String origin) {
        return new SocketClient(port, cookie, origin);
    }

    /** Sends the first frame: the page's id and token, and its cursor. */
    public void hello(PageClient page, long ack) {
        send("{\"type\":\"hello\",\"page\":\"" + page.pageId() + "\",\"token\":\"" + page.token() + "\",\"ack\":" + ack + "}");
    }

    /** Sends one text frame. */
    public void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The next frame from the server, waiting up to 10 s; fails when none came. */
    public JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s" + (closed.isDone() ? "; closed with " + closed.join() : ""));
        }
        return frame;
    }

    /** The next frame of {@code type}, skipping others (heartbeats). */
    public JsonObject next(String type) throws InterruptedException {
        while (true) {
            JsonObject frame = next();
            if (frame.get("type").getAsString().equals(type)) {
                return frame;
            }
        }
    }

    /** The close code the server sent, waiting up to {@code seconds}; fails when it did not close. */
    public int closeCode(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    /** Stops asking for frames: the server's writes back up in the TCP buffers. */
    public void stopReading() {
        reading = false;
    }

    /** Asks for frames again after {@link #stopReading}. */
    public void resumeReading() {
        reading = true;
        socket.request(1);
    }

    /** Whether the server has closed the socket (or it failed). */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Cuts the TCP connection without a close frame. */
    public void cut() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(JsonParser.parseString(partial.toString()).getAsJsonObject());
                partial.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
