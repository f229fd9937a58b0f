package dev.pagewire;

/** How long an instance of an exposed class lives, and so which calls share it. */
public enum Scope {
    /** One instance for the whole application (the default). It must be thread-safe. */
    APPLICATION,
    /** One instance per HTTP session, shared by all pages of one browser session. */
    SESSION,
    /** One instance per script session, that is per loaded page. */
    SCRIPT,
    /** A new instance for every call. */
    REQUEST
}
