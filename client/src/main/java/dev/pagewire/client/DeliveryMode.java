package dev.pagewire.client;

import java.util.Locale;

/**
 * How a client's page receives updates, as the server's delivery modes: the client asks for one
 * with {@link PagewireClient.Builder#deliveryMode}, and the server's rules for the page's path
 * decide which it may use (the handshake's {@code delivery.allowed}).
 */
public enum DeliveryMode {
    /** No requests of its own: updates ride on call replies. */
    PASSIVE,
    /** A {@code POST poll} every {@code pollMillis} the server advises. */
    POLLING,
    /** A held {@code POST poll}, made again as soon as each reply arrives (long-poll). */
    COMET,
    /** One held {@code GET stream} of Server-Sent Events. */
    SSE;

    /** The name on the wire: {@code passive}, {@code polling}, {@code comet} or {@code sse}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a wire name names, or {@code null} for a name this client does not know. */
    static DeliveryMode fromWire(String name) {
        for (DeliveryMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
