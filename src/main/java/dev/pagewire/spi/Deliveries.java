package dev.pagewire.spi;

/**
 * A node's side of a {@link PushBackend}: the backend hands it every push of every node, in
 * ascending id order, on one thread. Ids are the backend's (increasing, not consecutive); a page
 * applies each id once.
 */
public interface Deliveries {
    /** Queues {@code update} under {@code id} for this node's pages that {@code target} means. */
    void deliver(long id, Target target, String update);

    /**
     * Pushes below {@code id} may have been missed (the backend lost or trimmed them before this
     * node read them): every page of this node is told to resync, with {@code id} as the
     * resync's number.
     */
    void missed(long id);
}
