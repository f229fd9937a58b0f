package dev.pagewire;

import java.util.Locale;

/** How a page receives the updates queued for it. See {@code docs/PROTOCOL.md#delivery-modes}. */
public enum DeliveryMode {
    /** Updates ride on the reply of the page's next call; no request of its own. The default. */
    PASSIVE,
    /** The page asks for updates every poll interval. */
    POLLING,
    /** The page keeps one request open; the server answers it when updates arrive (long-poll). */
    COMET,
    /** The page keeps one Server-Sent Events stream open; the server writes each update to it. */
    SSE,
    /**
     * The page keeps one WebSocket open ({@code jakarta.websocket}); updates, calls and their
     * replies travel over it. Needs a container with WebSocket support.
     */
    WEBSOCKET;

    /** The name on the wire and in page JavaScript: {@code "passive"}, {@code "comet"}, .... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the page makes requests of its own to receive updates. */
    public boolean isActive() {
        return this != PASSIVE;
    }
}
