package dev.pagewire.client;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The calls of one open WebSocket: each batch goes as a {@code call} frame and completes with the
 * {@code replies} frame of its number (replies may come in another order than their batches).
 * When the socket closes, the batches still waiting fail with {@code NETWORK}: they may have run
 * on the server, so they are not sent again.
 *
 * <p>Threading: any thread sends; the delivery thread settles replies and closes; the futures
 * complete on the client's HTTP executor, never on the delivery thread.
 */
final class SocketCalls {
    final Page page;
    private final SocketLink link;
    private final Executor executor;
    private final Map<Long, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SocketCalls(Page page, SocketLink link, Executor executor) {
        this.page = page;
        this.link = link;
        this.executor = executor;
    }

    /**
     * Writes the batch {@code batch} of one call; completes with its {@code replies} frame, or
     * fails with {@code TIMEOUT} after {@code timeout} (null: no limit) or {@code NETWORK} when the
     * socket closes first.
     */
    CompletableFuture<JsonObject> send(long batch, long ack, JsonObject call, Duration timeout) {
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        waiting.put(batch, reply);
        if (timeout != null) {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> fail(batch, new PagewireCallException("TIMEOUT", "no reply within the call timeout")));
        }
        link.send("{\"type\":\"call\",\"batch\":" + batch + ",\"ack\":" + ack + ",\"calls\":[" + call + "]}")
                .whenComplete((sent, failure) -> {
                    if (failure != null || closed) {
                        fail(batch, mayHaveRun());
                    }
                });
        return reply;
    }

    /** Whether batches may still go over this socket; once closed, calls go by POST. */
    boolean isOpen() {
        return !closed;
    }

    /** A {@code replies} frame: completes the batch of its number. */
    void settle(JsonObject frame) {
        long batch = UpdateApplier.safeInteger(frame.get("batch"));
        CompletableFuture<JsonObject> reply = waiting.remove(batch);
        if (reply != null) {
            executor.execute(() -> reply.complete(frame));
        }
    }

    /** The socket closed: every batch still waiting fails. */
    void close() {
        closed = true;
        for (Long batch : waiting.keySet()) {
            fail(batch, mayHaveRun());
        }
    }

    private void fail(long batch, PagewireCallException failure) {
        CompletableFuture<JsonObject> reply = waiting.remove(batch);
        if (reply != null) {
            executor.execute(() -> reply.completeExceptionally(failure));
        }
    }

    private static PagewireCallException mayHaveRun() {
        return new PagewireCallException("NETWORK", "the WebSocket closed before the reply: the call may have run on the server");
    }
}
