package dev.pagewire.spi;

/**
 * A node's side of a {@link PushBackend}: the backend hands it every push of every node, in
 * ascending id order, on one thread. Ids are the backend's (increasing, not consecutive); a page
 * applies each id once.
 */
public interface Deliveries {
    /**
     * Queues {@code update} under {@code id} for this node's pages that {@code target} means; a
     * {@link Target.Topic} with a key replaces each page's queued value of that topic and key.
     */
    void deliver(long id, Target target, String update);

    /**
     * Pushes below {@code id} may have been missed (the backend lost or trimmed them before this
     * node read them). Pages in a {@link PageStore} are loaded again from it at their next
     * request; without a store every page of this node is told to resync, with {@code id} as
     * the resync's number.
     */
    void missed(long id);

    /** Every push up to {@code id} has been handed to {@link #deliver}: this node has heard them all. */
    void heard(long id);

    /** Page {@code pageId} ended on some node: this node forgets its copy. */
    void ended(String pageId);

    /**
     * Page {@code pageId} subscribed to the topic pattern {@code pattern} ({@code subscribed}) or
     * unsubscribed from it on some node ({@link PageStore#subscription}), at {@code id} in the
     * order of pushes: this node's copy of the page, if it has one, follows, so it gets the topic
     * updates after {@code id} and none after an unsubscribe.
     */
    default void subscription(long id, String pageId, String pattern, boolean subscribed) {
    }
}
