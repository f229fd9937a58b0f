package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One page of the client, from its handshake until the server forgets it: its id and token, the
 * delivery the server advised, and its cursor (the highest update applied). A new page starts
 * again from 0: update numbers are per page.
 *
 * <p>Threading: the id, token and advice never change. The cursor moves only on the client's
 * update thread ({@link UpdateApplier}) and is read by the threads that send requests; what was
 * acknowledged is kept with a compare-and-set, as any thread may send an ack.
 */
final class Page {
    /** What the handshake leaves out: the server's {@code DEFAULT_*} constants (ClientDefaultsTest checks them). */
    static final long DEFAULT_POLL_MILLIS = 5000;
    static final long DEFAULT_HOLD_MILLIS = 25000;
    static final long DEFAULT_ACK_DELAY_MILLIS = 1000;
    static final long DEFAULT_HEARTBEAT_MILLIS = 15000;

    final String id;
    final String token;
    final DeliveryMode advisedMode;
    final Set<DeliveryMode> allowedModes;
    final long pollMillis;
    final long holdMillis;
    final long ackDelayMillis;
    final long heartbeatMillis;

    private volatile long applied; // highest seq applied, or the server's upTo if higher
    private final AtomicLong acknowledged = new AtomicLong();

    private Page(String id, String token, JsonObject delivery) {
        this.id = id;
        this.token = token;
        // "auto" (the server's default), and any mode this client lacks, is passive here: choose one
        // with PagewireClient.Builder.deliveryMode.
        DeliveryMode advised = DeliveryMode.fromWire(string(delivery, "mode"));
        this.advisedMode = advised == null ? DeliveryMode.PASSIVE : advised;
        this.allowedModes = readAllowed(delivery);
        this.pollMillis = positive(delivery, "pollMillis", DEFAULT_POLL_MILLIS);
        this.holdMillis = positive(delivery, "holdMillis", DEFAULT_HOLD_MILLIS);
        this.ackDelayMillis = positive(delivery, "ackDelayMillis", DEFAULT_ACK_DELAY_MILLIS);
        this.heartbeatMillis = positive(delivery, "heartbeatMillis", DEFAULT_HEARTBEAT_MILLIS);
    }

    /** The page a handshake reply describes, or null when it is not a handshake reply. */
    static Page fromHandshake(JsonObject reply) {
        if (reply == null || string(reply, "page") == null || string(reply, "token") == null) {
            return null;
        }
        JsonElement delivery = reply.get("delivery");
        return new Page(string(reply, "page"), string(reply, "token"),
                delivery != null && delivery.isJsonObject() ? delivery.getAsJsonObject() : new JsonObject());
    }

    /** The highest update number this page has: what its next request acknowledges. */
    long cursor() {
        return applied;
    }

    /** Moves the cursor forward (never back); on the update thread only. */
    void advanceTo(long seq) {
        if (seq > applied) {
            applied = seq;
        }
    }

    /** Notes that a request carried {@code ack}; true if it acknowledged more than any before. */
    boolean noteAcknowledged(long ack) {
        return acknowledged.getAndAccumulate(ack, Math::max) < ack;
    }

    /** The highest {@code ack} sent so far. */
    long acknowledged() {
        return acknowledged.get();
    }

    @Override
    public String toString() {
        return "page " + id;
    }

    private static Set<DeliveryMode> readAllowed(JsonObject delivery) {
        JsonElement allowed = delivery.get("allowed");
        if (allowed == null || !allowed.isJsonArray()) {
            return EnumSet.allOf(DeliveryMode.class);
        }
        Set<DeliveryMode> modes = EnumSet.noneOf(DeliveryMode.class);
        for (JsonElement name : allowed.getAsJsonArray()) {
            DeliveryMode mode = name.isJsonPrimitive() ? DeliveryMode.fromWire(name.getAsString()) : null;
            if (mode != null) {
                modes.add(mode);
            }
        }
        return modes;
    }

    private static long positive(JsonObject object, String key, long fallback) {
        JsonElement value = object.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return fallback;
        }
        long number = value.getAsLong();
        return number > 0 ? number : fallback;
    }

    static String string(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }
}
