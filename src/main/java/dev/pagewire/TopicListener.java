package dev.pagewire;

/**
 * Hears pages join and leave topics: presence. Register with {@link Topics#addListener}.
 * Methods run on the thread that caused the event and must not block: the request thread of a
 * subscribe or unsubscribe, or, when a page ends with subscriptions, the thread that ended it
 * (see {@link PageListener}). A subscription to a pattern is one event, naming the pattern.
 */
public interface TopicListener {
    /** {@code page} subscribed to {@code pattern} (a second subscription to the same pattern is no event). */
    default void subscribed(Page page, String pattern) {
    }

    /** {@code page} unsubscribed from {@code pattern}, or ended while subscribed to it. */
    default void unsubscribed(Page page, String pattern) {
    }
}
