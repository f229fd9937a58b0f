package dev.pagewire;

/**
 * Hears script sessions start and end, and the moment a page must reload its state. Register with
 * {@link Pages#addListener(ScriptSessionListener)}. Methods run on the thread that caused the
 * event (a request thread, the housekeeper, or the thread that pushed) and must not block.
 */
public interface ScriptSessionListener {
    /** A page made its handshake. */
    default void created(ScriptSession session) {
    }

    /** A page went away: it unloaded, timed out, was evicted or invalidated. */
    default void destroyed(ScriptSession session) {
    }

    /**
     * The session's update queue overflowed, so updates were dropped and the page was told to
     * resync. Updates pushed from here on arrive after the page's {@code resync} event: a good
     * place to push a fresh snapshot of the state.
     */
    default void resync(ScriptSession session) {
    }
}
