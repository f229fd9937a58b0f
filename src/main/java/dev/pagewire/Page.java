package dev.pagewire;

import java.time.Instant;
import java.util.Optional;

/**
 * One loaded page: a document in a browser tab, from the engine's handshake until it unloads,
 * stays silent past {@link Pagewire.Builder#pageIdleTimeout}, loses its HTTP session or is
 * {@linkplain #invalidate() ended}. It belongs to one path and one HTTP session; reloading the
 * tab makes a new page. (DWR calls it a script session.)
 *
 * <p>Remote methods receive the calling page by declaring a parameter of this type; {@link
 * PageGroup#pages()} and {@link PageListener} hand out the others. Attributes are safe to use from
 * any thread.
 */
public interface Page {
    /** The page's id: unguessable, but not a secret (the page's token is never exposed). */
    String id();

    /** The normalised path the page was loaded from, e.g. {@code /chat/}. */
    String path();

    /** When the handshake created this page. */
    Instant createdAt();

    /** The attribute stored under {@code name}, or {@code null}. */
    Object getAttribute(String name);

    /** Stores {@code value} under {@code name}; a {@code null} value removes it. */
    void setAttribute(String name, Object value);

    /**
     * How the page is receiving updates now: the server's advice until it asks otherwise (passive
     * when the advice is {@link DeliveryMode#AUTO}, which is never returned).
     */
    DeliveryMode deliveryMode();

    /**
     * When the page's tab shares another tab's connection (tabs of one browser sharing one
     * WebSocket, docs/PROTOCOL.md): the id of the page whose socket carries this page's updates,
     * the leader tab's. Empty when the page has a connection of its own, or none.
     */
    default Optional<String> carriedBy() {
        return Optional.empty();
    }

    /** Updates queued for the page and not yet acknowledged. */
    int queuedUpdates();

    /** The number of the last update the page acknowledged (0 before any). */
    long lastAcknowledged();

    /** Whether the page is still live (not ended by unload, timeout or {@link #invalidate()}). */
    boolean isValid();

    /** Ends the page on the server; its next request is answered {@code PAGE_UNKNOWN}. */
    void invalidate();
}
