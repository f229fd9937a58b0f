package dev.pagewire.push;

/** The page whose calls run on this thread, for {@code Pages.current()}. */
public final class CurrentPage {
    private static final ThreadLocal<LivePage> CURRENT = new ThreadLocal<>();

    private CurrentPage() {
    }

    /** Marks {@code page} as the current page until {@link #clear()}. */
    public static void set(LivePage page) {
        CURRENT.set(page);
    }

    public static void clear() {
        CURRENT.remove();
    }

    static LivePage get() {
        return CURRENT.get();
    }
}
