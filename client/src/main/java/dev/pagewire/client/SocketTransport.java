package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * WebSocket: {@code GET socket}, upgraded, then frames ({@code docs/PROTOCOL.md}, "WebSocket").
 * The client speaks first with {@code hello} (page id, token, {@code ack}); after the server's
 * {@code open}, {@code updates} frames bring updates in {@code seq} order, acknowledged with
 * {@code ack} frames at most {@code ackDelayMillis} after applying (at once at 100), and calls go
 * over the socket ({@link SocketCalls}). Both sides send {@code hb} every {@code heartbeatMillis};
 * a socket that brought nothing for {@code heartbeatMillis} plus a grace is taken for dead. Every
 * 5 minutes a plain {@code POST poll} keeps the HTTP session alive (socket frames do not).
 *
 * <p>A {@code refused} frame (then close code 1008) is handled as a refused poll. Any other close
 * (4000 page replaced, 4001 slow reader, 1001, 1006, a cut connection) is followed by a plain poll
 * that probes the page and brings what was missed, then a new socket, at once if the last one
 * had been open a while, else after the backoff, as for SSE. A server without WebSocket support
 * ({@code 501}) is reported as {@code WEBSOCKET_UNAVAILABLE} and the page polls instead.
 *
 * <p>Threading: runs on the delivery thread, which reads every frame from the socket's queue
 * ({@link SocketLink}); see {@link Delivery}.
 */
final class SocketTransport implements Transport {
    private static final long PROVEN_AFTER_MILLIS = 5000;
    private static final int ACK_THRESHOLD = 100;
    private static final long SESSION_POLL_MILLIS = TimeUnit.MINUTES.toMillis(5);
    private static final long OPEN_TIMEOUT_MILLIS = 20_000;
    private static final long NEVER = Long.MAX_VALUE;

    private final Delivery delivery;

    SocketTransport(Delivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public Outcome run(Page page) throws InterruptedException {
        while (delivery.session.isCurrent(page)) {
            OpenSocket socket = new OpenSocket(page);
            Outcome outcome = socket.read();
            if (outcome != null) {
                return outcome;
            }
            delivery.applier.disconnected(page, "NETWORK");
            outcome = delivery.probe(page, socket.proven);
            if (outcome != null) {
                return outcome;
            }
        }
        return Outcome.CHANGED;
    }

    /** One socket, read on the delivery thread until it closes or something must change. */
    private final class OpenSocket {
        private final Page page;
        private final SocketLink link = new SocketLink();
        private final SocketCalls calls;
        private long openedAt;
        private boolean proven;
        private boolean open;
        private long silentUntil;
        private long heartbeatDue;
        private long sessionPollDue;
        private long ackDue = NEVER;
        private int unacknowledged;

        OpenSocket(Page page) {
            this.page = page;
            this.calls = new SocketCalls(page, link, delivery.http.executor());
        }

        /** Null when the socket failed or closed; otherwise why the transport must stop. */
        Outcome read() throws InterruptedException {
            CompletableFuture<?> opening = delivery.http.openSocket(link);
            try {
                Outcome refused = awaitOpening(opening);
                if (refused != null || opening.isCompletedExceptionally()) {
                    return refused;
                }
                long ack = page.cursor();
                page.noteAcknowledged(ack);
                link.send("{\"type\":\"hello\",\"page\":" + WireJson.write(page.id) + ",\"token\":"
                        + WireJson.write(page.token) + ",\"ack\":" + ack + "}");
                openedAt = System.currentTimeMillis();
                silentUntil = openedAt + page.heartbeatMillis + Delivery.WATCHDOG_GRACE_MILLIS;
                heartbeatDue = openedAt + page.heartbeatMillis;
                sessionPollDue = openedAt + SESSION_POLL_MILLIS;
                return readFrames();
            } finally {
                calls.close();
                delivery.calls.dropSocket(calls);
                link.abort();
            }
        }

        /** Null once open (or failed: then {@code opening} failed too); a refusal of the upgrade otherwise. */
        private Outcome awaitOpening(CompletableFuture<?> opening) throws InterruptedException {
            try {
                opening.get(OPEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                return null;
            } catch (TimeoutException | ExecutionException failed) {
                opening.cancel(true);
                Throwable cause = Faults.unwrap(failed);
                if (!(cause instanceof WebSocketHandshakeException refused)) {
                    return null;
                }
                int status = refused.getResponse().statusCode();
                if (status == 501) {
                    delivery.applier.problem(new PagewireCallException("WEBSOCKET_UNAVAILABLE",
                            "the server has no WebSocket support: polling instead"));
                    return Outcome.FALLBACK;
                }
                Object body = refused.getResponse().body();
                return delivery.refusal(page, status, body instanceof String text ? WireJson.parseObject(text) : null);
            } catch (InterruptedException closed) {
                opening.cancel(true);
                throw closed;
            }
        }

        private Outcome readFrames() throws InterruptedException {
            while (delivery.session.isCurrent(page)) {
                long now = System.currentTimeMillis();
                Outcome outcome = keepTime(now);
                if (outcome != null) {
                    return outcome;
                }
                if (now >= silentUntil) {
                    return null; // a dead connection
                }
                SocketLink.Event event = link.next(nextDeadline(now) - now);
                if (event != null && event.isClose()) {
                    return null;
                }
                if (event != null) {
                    silentUntil = System.currentTimeMillis() + page.heartbeatMillis + Delivery.WATCHDOG_GRACE_MILLIS;
                    outcome = take(WireJson.parseObject(event.text()));
                    if (outcome != null) {
                        return outcome;
                    }
                }
            }
            return Outcome.CHANGED;
        }

        private Outcome keepTime(long now) throws InterruptedException {
            if (open && !proven && now - openedAt >= PROVEN_AFTER_MILLIS) {
                proven = true;
                delivery.succeeded(page, DeliveryMode.WEBSOCKET);
            }
            if (now >= ackDue) {
                acknowledge();
            }
            if (now >= heartbeatDue) {
                heartbeatDue = now + page.heartbeatMillis;
                link.send("{\"type\":\"hb\"}");
            }
            if (now >= sessionPollDue) {
                sessionPollDue = now + SESSION_POLL_MILLIS;
                try {
                    delivery.poll(page, false);
                } catch (Delivery.Refused refused) {
                    return refused.outcome;
                }
            }
            return null;
        }

        private long nextDeadline(long now) {
            long deadline = Math.min(Math.min(silentUntil, ackDue), Math.min(heartbeatDue, sessionPollDue));
            return open && !proven ? Math.min(deadline, Math.max(now + 1, openedAt + PROVEN_AFTER_MILLIS)) : deadline;
        }

        /** One frame from the server. */
        private Outcome take(JsonObject frame) throws InterruptedException {
            String type = frame == null ? null : Page.string(frame, "type");
            if (type == null) {
                delivery.applier.problem(new PagewireCallException("UPDATE_FAILED", "malformed frame"));
                return null;
            }
            switch (type) {
                case "open" -> {
                    open = true;
                    delivery.calls.useSocket(calls);
                }
                case "updates" -> receive(frame);
                case "replies" -> calls.settle(frame);
                case "hb" -> delivery.awaitApplied(delivery.applier.deliver(page, frame));
                case "refused" -> {
                    JsonElement status = frame.get("status");
                    return delivery.refusal(page, status != null && status.isJsonPrimitive() ? status.getAsInt() : 500, frame);
                }
                default -> { } // a frame of a later protocol
            }
            return null;
        }

        private void receive(JsonObject frame) throws InterruptedException {
            delivery.awaitApplied(delivery.applier.deliver(page, frame));
            JsonElement updates = frame.get("updates");
            unacknowledged += updates != null && updates.isJsonArray() ? updates.getAsJsonArray().size() : 0;
            if (unacknowledged >= ACK_THRESHOLD) {
                acknowledge();
            } else if (unacknowledged > 0 && ackDue == NEVER) {
                ackDue = System.currentTimeMillis() + page.ackDelayMillis;
            }
        }

        private void acknowledge() {
            ackDue = NEVER;
            unacknowledged = 0;
            long ack = page.cursor();
            if (page.noteAcknowledged(ack)) {
                link.send("{\"type\":\"ack\",\"ack\":" + ack + "}");
            }
        }
    }
}
