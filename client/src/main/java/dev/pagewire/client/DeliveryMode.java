package dev.pagewire.client;

import java.util.List;
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
    SSE,
    /** One WebSocket ({@code GET socket}, upgraded): updates, calls and their replies travel over it. */
    WEBSOCKET;

    /** From best to least, for a server that advises {@code auto} or a mode this client does not know. */
    static final List<DeliveryMode> PREFERENCE = java.util.List.of(WEBSOCKET, SSE, COMET, POLLING, PASSIVE);

    /** The name on the wire: {@code passive}, {@code polling}, {@code comet}, {@code sse} or {@code websocket}. */
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
