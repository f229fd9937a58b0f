package dev.pagewire.push;

/**
 * A held request waiting for a page's updates: a Comet poll or an SSE stream. This is the
 * transport contract the queue knows; each transport is one class implementing it.
 *
 * <p>At most one waiter per page: a new one replaces (and closes) the old. Methods are
 * called without the queue's lock held and must not block: they hand work to the delivery
 * executor or write without blocking.
 */
public interface Waiter {
    /**
     * Updates were appended. {@code overflowed} means the queue dropped its updates and queued a
     * resync marker: a stream whose reader has stopped reading should give up and close.
     */
    void updatesAvailable(boolean overflowed);

    /** Ends the request now, sending what it can; called when replaced or the page ends. */
    void close();

    /** Called by the housekeeper about every heartbeat interval; streams write an {@code event: hb}. */
    default void heartbeat() {
    }

    /**
     * The highest update number this waiter has written to its connection (0: none, or it writes
     * only once). A node's copy of a page whose acknowledgements go to other nodes may drop what
     * its stream has written when it would overflow (see {@link UpdateQueue}). Called under the
     * queue's lock, unlike the other methods: it only reads a field.
     */
    default long written() {
        return 0;
    }
}
