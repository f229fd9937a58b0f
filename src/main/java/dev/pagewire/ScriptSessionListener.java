package dev.pagewire;

/**
 * DWR's name for a {@link PageListener}, kept for one release for code moving from DWR: its
 * methods take a {@link ScriptSession}, which every page is.
 *
 * @deprecated implement {@link PageListener}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
@SuppressWarnings("removal")
public interface ScriptSessionListener extends PageListener {
    /** A page made its handshake. */
    default void created(ScriptSession session) {
    }

    /** A page went away. */
    default void destroyed(ScriptSession session) {
    }

    /** The page's update queue overflowed. */
    default void resync(ScriptSession session) {
    }

    @Override
    default void created(Page page) {
        created((ScriptSession) page);
    }

    @Override
    default void destroyed(Page page) {
        destroyed((ScriptSession) page);
    }

    @Override
    default void resync(Page page) {
        resync((ScriptSession) page);
    }
}
