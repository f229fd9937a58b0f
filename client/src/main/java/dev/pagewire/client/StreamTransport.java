package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * SSE: {@code GET stream?page=&token=&ack=n}, one event per update ({@code data:} its JSON),
 * {@code event: hb} heartbeats (perhaps with {@code upTo}), {@code event: refused} for a refused
 * stream and {@code event: fallback} for "poll instead". Updates are acknowledged with
 * {@code POST ack} at most {@code ackDelayMillis} after applying, or at once when 100 are
 * unacknowledged.
 *
 * <p>A stream silent for {@code heartbeatMillis} plus a grace is taken for a dead connection.
 * When a stream fails or ends, a plain poll probes the page (and brings the updates missed
 * meanwhile); the stream then reopens at once if it had been open a while ("proven"), else after
 * the backoff, as the engine does.
 *
 * <p>Threading: runs on the delivery thread; see {@link Delivery}.
 */
final class StreamTransport implements Transport {
    /** A stream open this long has proven itself: the backoff starts over, and a cut reopens at once. */
    private static final long PROVEN_AFTER_MILLIS = 5000;
    /** Unacknowledged updates that make an ack go at once. */
    private static final int ACK_THRESHOLD = 100;
    private static final long NEVER = Long.MAX_VALUE;

    private final Delivery delivery;

    StreamTransport(Delivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public Outcome run(Page page) throws InterruptedException {
        while (delivery.session.isCurrent(page)) {
            OpenStream stream = new OpenStream(page);
            Outcome outcome = stream.read();
            if (outcome != null) {
                return outcome;
            }
            delivery.applier.disconnected(page, "NETWORK");
            outcome = delivery.probe(page, stream.proven);
            if (outcome != null) {
                return outcome;
            }
        }
        return Outcome.CHANGED;
    }

    /** One open stream, read on the delivery thread until it fails or something must change. */
    private final class OpenStream {
        private final Page page;
        private final StreamLines lines = new StreamLines();
        private final long openedAt = System.currentTimeMillis();
        private boolean proven;
        private boolean heard;
        private long silentUntil;
        private long ackDue = NEVER;
        private int unacknowledged;
        private String eventName;
        private final StringBuilder data = new StringBuilder();

        OpenStream(Page page) {
            this.page = page;
        }

        /** Null when the stream failed or ended; otherwise why the transport must stop. */
        Outcome read() throws InterruptedException {
            long ack = page.cursor();
            page.noteAcknowledged(ack);
            CompletableFuture<?> response = delivery.http.openStream(page, ack, lines);
            try {
                silentUntil = System.currentTimeMillis() + page.heartbeatMillis + Delivery.WATCHDOG_GRACE_MILLIS;
                while (delivery.session.isCurrent(page)) {
                    long now = System.currentTimeMillis();
                    keepTime(now);
                    if (now >= silentUntil) {
                        return null; // a dead connection
                    }
                    String line = lines.next(nextDeadline(now) - now);
                    if (line != null) {
                        Outcome outcome = take(line);
                        if (outcome != null) {
                            return outcome;
                        }
                    }
                }
                return Outcome.CHANGED;
            } catch (IOException ended) {
                return null;
            } finally {
                lines.close();
                response.cancel(true);
                if (unacknowledged > 0) {
                    delivery.acknowledge(page);
                }
            }
        }

        private void keepTime(long now) {
            if (!proven && now - openedAt >= PROVEN_AFTER_MILLIS && heard) {
                proven = true;
                delivery.succeeded(page, DeliveryMode.SSE);
            }
            if (now >= ackDue) {
                acknowledge();
            }
        }

        private long nextDeadline(long now) {
            long deadline = Math.min(silentUntil, ackDue);
            return proven ? deadline : Math.min(deadline, Math.max(now + 1, openedAt + PROVEN_AFTER_MILLIS));
        }

        /** One line of the event stream: fields gather, an empty line dispatches the event. */
        private Outcome take(String line) throws InterruptedException {
            heard = true;
            silentUntil = System.currentTimeMillis() + page.heartbeatMillis + Delivery.WATCHDOG_GRACE_MILLIS;
            if (line.isEmpty()) {
                Outcome outcome = data.length() > 0 || eventName != null ? dispatch(eventName, data.toString()) : null;
                eventName = null;
                data.setLength(0);
                return outcome;
            }
            if (line.startsWith("event:")) {
                eventName = field(line, 6);
            } else if (line.startsWith("data:")) {
                data.append(data.length() > 0 ? "\n" : "").append(field(line, 5));
            }
            return null; // id: (the seq is in the data too), retry:, comments
        }

        private Outcome dispatch(String name, String payload) throws InterruptedException {
            if (name == null || name.equals("message")) {
                receive(payload);
                return null;
            }
            return switch (name) {
                case "hb" -> heartbeat(payload);
                case "fallback" -> Outcome.FALLBACK;
                case "refused" -> refused(payload);
                default -> null;
            };
        }

        private void receive(String payload) throws InterruptedException {
            JsonElement update = parse(payload);
            if (update == null) {
                delivery.applier.problem(new PagewireCallException("UPDATE_FAILED", "malformed update: " + payload));
                return;
            }
            delivery.awaitApplied(delivery.applier.deliverOne(page, update));
            unacknowledged++;
            if (unacknowledged >= ACK_THRESHOLD) {
                acknowledge();
            } else if (ackDue == NEVER) {
                ackDue = System.currentTimeMillis() + page.ackDelayMillis;
            }
        }

        private Outcome heartbeat(String payload) throws InterruptedException {
            JsonElement beat = parse(payload);
            if (beat != null && beat.isJsonObject() && beat.getAsJsonObject().has("upTo")) {
                delivery.awaitApplied(delivery.applier.advanceTo(page, beat.getAsJsonObject().get("upTo")));
            }
            return null;
        }

        /** {@code {"status": 410, "error": {...}}}: LOST, REFUSED, or null (try again later). */
        private Outcome refused(String payload) {
            JsonElement refusal = parse(payload);
            JsonObject body = refusal != null && refusal.isJsonObject() ? refusal.getAsJsonObject() : null;
            JsonElement status = body == null ? null : body.get("status");
            int code = status != null && status.isJsonPrimitive() ? status.getAsInt() : 500;
            return delivery.refusal(page, code, body);
        }

        private void acknowledge() {
            ackDue = NEVER;
            unacknowledged = 0;
            delivery.acknowledge(page);
        }
    }

    private static String field(String line, int nameLength) {
        String value = line.substring(nameLength);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private static JsonElement parse(String json) {
        try {
            return JsonParser.parseString(json);
        } catch (JsonParseException e) {
            return null;
        }
    }
}
