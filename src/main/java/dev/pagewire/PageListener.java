package dev.pagewire;

/**
 * Hears pages start and end, and the moment a page must reload its state. Register with
 * {@link Pages#addListener(PageListener)}. Methods run on the thread that caused the event and must
 * not block: {@code created} on the handshake's request thread; {@code destroyed} on the request
 * thread of an unload, on the housekeeper (idle pages), on the container's thread that ends the
 * HTTP session, or on the thread that calls {@link Page#invalidate()} or {@link Pagewire#close()};
 * {@code resync} on the pushing thread.
 */
public interface PageListener {
    /** A page made its handshake. */
    default void created(Page page) {
    }

    /** A page went away: it unloaded, timed out, was evicted or invalidated, or its HTTP session ended. */
    default void destroyed(Page page) {
    }

    /**
     * The page's update queue overflowed, so updates were dropped and the page was told to
     * resync. Updates pushed from here on arrive after the page's {@code resync} event: a good
     * place to push a fresh snapshot of the state.
     */
    default void resync(Page page) {
    }
}
