package dev.pagewire;

import java.time.Instant;

/**
 * One loaded page: created by the page's handshake and bound to its page path and HTTP session.
 *
 * <p>Remote methods receive the caller's script session by declaring a parameter of this type.
 * Attributes are safe to use from any thread.
 */
public interface ScriptSession {
    /** The session's id: unguessable, but not a secret (the page's token is never exposed). */
    String id();

    /** The normalised path of the page, e.g. {@code /chat/}. */
    String page();

    /** When the handshake created this session. */
    Instant createdAt();

    /** The attribute stored under {@code name}, or {@code null}. */
    Object getAttribute(String name);

    /** Stores {@code value} under {@code name}; a {@code null} value removes it. */
    void setAttribute(String name, Object value);

    /** How the page is receiving updates now (the server's advice until it asks otherwise). */
    DeliveryMode deliveryMode();

    /** Updates queued for the page and not yet acknowledged. */
    int queuedUpdates();

    /** The number of the last update the page acknowledged (0 before any). */
    long lastAcknowledged();

    /** Whether the session is still alive (not ended by unload, timeout or {@link #invalidate()}). */
    boolean isValid();

    /** Ends the session; the page's next request is answered {@code SESSION_UNKNOWN}. */
    void invalidate();
}
