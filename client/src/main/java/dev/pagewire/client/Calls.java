package dev.pagewire.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends calls: one batch of one call each, carrying the page's cursor as {@code ack} and a
 * {@code batch} number counting up per client (the server answers a number it has seen from its
 * first run, so a repeated request never runs a call twice). While the page's WebSocket is open
 * and answered {@code open}, the batch goes over it as a {@code call} frame; otherwise as a
 * {@code POST call}. The updates riding on the reply go to the update thread before the call's
 * future completes. A call the server refused with {@code PAGE_UNKNOWN} (it ran none of it) is
 * sent once more, with a new number, in the page that replaces the lost one.
 *
 * <p>Threading: any thread may call; the futures complete on the client's HTTP executor.
 */
final class Calls {
    private final WireHttp http;
    private final PageSession session;
    private final UpdateApplier applier;
    private final Duration timeout;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong nextBatch = new AtomicLong(1);
    private volatile SocketCalls socket; // the page's open WebSocket, or null

    Calls(WireHttp http, PageSession session, UpdateApplier applier, Duration timeout) {
        this.http = http;
        this.session = session;
        this.applier = applier;
        this.timeout = timeout;
    }

    /**
     * Calls {@code proxy.method(args)}; completes with the result as JSON ({@link JsonNull} for
     * {@code void} and {@code null}), or exceptionally with a {@link PagewireCallException}.
     */
    CompletableFuture<JsonElement> call(String proxy, String method, Object[] args) {
        JsonObject call = new JsonObject();
        call.addProperty("id", nextId.getAndIncrement());
        call.addProperty("proxy", proxy);
        call.addProperty("method", method);
        JsonArray wireArgs = new JsonArray();
        for (Object arg : args == null ? new Object[0] : args) {
            wireArgs.add(WireJson.write(arg));
        }
        call.add("args", wireArgs);
        CompletableFuture<JsonElement> result = session.current().thenCompose(page -> send(page, call, true));
        return result.handle((value, failure) -> {
            if (failure != null) {
                throw Faults.of(failure);
            }
            return value;
        });
    }

    /** From now on calls of {@code open}'s page go over it. */
    void useSocket(SocketCalls open) {
        socket = open;
    }

    /** Calls go by POST again, unless another socket took {@code closed}'s place already. */
    void dropSocket(SocketCalls closed) {
        if (socket == closed) {
            socket = null;
        }
    }

    private CompletableFuture<JsonElement> send(Page page, JsonObject call, boolean mayRenew) {
        long ack = page.cursor();
        page.noteAcknowledged(ack);
        long batch = nextBatch.getAndIncrement();
        SocketCalls open = socket;
        if (open != null && open.page == page && open.isOpen()) {
            return open.send(batch, ack, call, timeout).thenCompose(frame -> settle(call, frame));
        }
        String body = "{\"ack\":" + ack + ",\"batch\":" + batch + ",\"calls\":[" + call + "]}";
        return http.post("/call", body, page, timeout).thenCompose(reply -> {
            JsonElement replies = reply.body() == null ? null : reply.body().get("replies");
            if (reply.ok() && replies != null && replies.isJsonArray()) {
                applier.deliver(page, reply.body());
                return settle(call, replies.getAsJsonArray());
            }
            PagewireCallException refusal = reply.refusal();
            if (mayRenew && refusal.code().equals("PAGE_UNKNOWN")) {
                return session.renew(page).thenCompose(fresh -> send(fresh, call, false));
            }
            return CompletableFuture.failedFuture(refusal);
        });
    }

    /** A socket's {@code replies} frame: the batch's replies, or its refusal as a whole. */
    private static CompletableFuture<JsonElement> settle(JsonObject call, JsonObject frame) {
        JsonElement replies = frame.get("replies");
        if (replies != null && replies.isJsonArray()) {
            return settle(call, replies.getAsJsonArray());
        }
        JsonElement error = frame.get("error");
        return CompletableFuture.failedFuture(error != null && error.isJsonObject() ? Faults.read(error.getAsJsonObject())
                : new PagewireCallException("NETWORK", "the server sent no reply for this call"));
    }

    private static CompletableFuture<JsonElement> settle(JsonObject call, JsonArray replies) {
        for (JsonElement element : replies) {
            JsonObject reply = element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
            if (!call.get("id").equals(reply.get("id"))) {
                continue;
            }
            JsonElement error = reply.get("error");
            if (error != null && error.isJsonObject()) {
                return CompletableFuture.failedFuture(Faults.read(error.getAsJsonObject()));
            }
            JsonElement result = reply.get("result");
            return CompletableFuture.completedFuture(result == null ? JsonNull.INSTANCE : result);
        }
        return CompletableFuture.failedFuture(new PagewireCallException("NETWORK", "the server sent no reply for this call"));
    }
}
