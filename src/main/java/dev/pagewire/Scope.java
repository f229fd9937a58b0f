package dev.pagewire;

/** How long an instance of an exposed class lives, and so which calls share it. */
public enum Scope {
    /** One instance for the whole application (the default). It must be thread-safe. */
    APPLICATION,
    /** One instance per HTTP session, shared by all pages of one browser session. */
    SESSION,
    /** One instance per loaded page: a tab's reload gets a new one. */
    PAGE,
    /**
     * DWR's name for {@link #PAGE} (a DWR "script" scope).
     *
     * @deprecated use {@link #PAGE}; DWR's own {@code page} scope is {@link #REQUEST}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    SCRIPT,
    /** A new instance for every call. */
    REQUEST
}
