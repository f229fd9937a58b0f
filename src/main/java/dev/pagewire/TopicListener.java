package dev.pagewire;

/**
 * Hears pages join and leave topics (presence), and what pages publish, which it may refuse or
 * replace (CometD's data filters). Register with {@link Topics#addListener}. Methods run on the
 * thread that caused the event and must not block: the request thread of a subscribe,
 * unsubscribe or publish, or, when a page ends with subscriptions, the thread that ended it (see
 * {@link PageListener}). A subscription to a pattern is one event, naming the pattern. With
 * several nodes, a listener hears the subscribes and unsubscribes its own node served, and the
 * ends of pages on the node that ended them; {@link Topic#subscribers()} lists every node's pages.
 */
public interface TopicListener {
    /** {@code page} subscribed to {@code pattern} (a second subscription to the same pattern is no event). */
    default void subscribed(Page page, String pattern) {
    }

    /** {@code page} unsubscribed from {@code pattern}, or ended while subscribed to it. */
    default void unsubscribed(Page page, String pattern) {
    }

    /**
     * {@code page} publishes {@code data} on {@code topic}. Called after the page's call passed
     * the call filters, the topic's rule allowed the page ({@link TopicRule#publish} or
     * {@link TopicRule#service}) and the data converted to the rule's data type; then each
     * listener in the order added gets what the one before it returned, and what the last returns
     * reaches the subscribers (or the service handler). Server publishes ({@link Topic#publish})
     * do not come here.
     *
     * @return {@code data} to let it through, or a replacement: any value a server publish could
     *         carry (one that does not convert fails the page's publish as {@code INTERNAL}); a
     *         service handler expects the rule's data type
     * @throws PublishRefusedException to refuse it: the page's publish fails with {@code REFUSED}
     */
    default Object publishing(Page page, String topic, Object data) {
        return data;
    }
}
