package dev.pagewire;

import java.util.Locale;

/** How a page receives the updates queued for it. See {@code docs/PROTOCOL.md#delivery-modes}. */
public enum DeliveryMode {
    /** Updates ride on the reply of the page's next call; no request of its own. */
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
    WEBSOCKET,
    /**
     * Not a mode of its own but a choice, the default: the page's engine uses the best of the
     * modes it is allowed that its browser supports (websocket, then SSE, Comet, polling), moves
     * down when one fails (refused upgrades, a proxy that buffers the stream) and back up later.
     * A page is never <em>in</em> this mode: {@link Page#deliveryMode()} says which it uses.
     */
    AUTO;

    /** The name on the wire and in page JavaScript: {@code "passive"}, {@code "comet"}, .... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the page makes requests (or keeps a socket) of its own to receive updates; {@link #AUTO} does. */
    public boolean isActive() {
        return this != PASSIVE;
    }
}
