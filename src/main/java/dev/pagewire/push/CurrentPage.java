package dev.pagewire.push;

/** The page whose calls run on this thread, for {@code Pages.current()}. */
public final class CurrentPage {
    private static final ThreadLocal<PageSession> CURRENT = new ThreadLocal<>();

    private CurrentPage() {
    }

    /** Marks {@code session} as the current page until {@link #clear()}. */
    public static void set(PageSession session) {
        CURRENT.set(session);
    }

    public static void clear() {
        CURRENT.remove();
    }

    static PageSession get() {
        return CURRENT.get();
    }
}
