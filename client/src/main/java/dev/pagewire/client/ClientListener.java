package dev.pagewire.client;

/**
 * Hears what happens to a client's page: a page made or restored, a lost connection, a resync
 * and problems nobody else hears about. Every method does nothing unless overridden.
 *
 * <p>Threading: the methods run on the client's update thread, in order with the pushed
 * functions ({@link PushHandler}), one at a time; a listener that blocks holds up delivery.
 */
public interface ClientListener {
    /**
     * The client has a page again: after a handshake (a new page) or when delivery reached the
     * server after {@link #disconnected}.
     *
     * @param pageId the page's id
     * @param mode   the delivery mode the page uses
     */
    default void connected(String pageId, DeliveryMode mode) {
    }

    /**
     * Delivery lost the server: a network error ({@code NETWORK}) or the page ended on the
     * server ({@code PAGE_UNKNOWN}). The client reconnects on its own, waiting longer after each
     * failure (the builder's reconnect delays).
     *
     * @param pageId the page that lost its connection
     * @param code   {@code NETWORK} or {@code PAGE_UNKNOWN}
     */
    default void disconnected(String pageId, String code) {
    }

    /**
     * Updates may have been missed: reload the state the pushes keep up to date. {@code reason}
     * is {@code lost} when the server no longer knew the page (it restarted, or the page
     * expired) and the client made a new one, whose id is {@code pageId}; {@code overflow} when
     * the page's queue on the server overflowed and dropped updates.
     *
     * @param pageId the page from which updates arrive now
     * @param reason {@code lost} or {@code overflow}
     */
    default void resync(String pageId, String reason) {
    }

    /**
     * Something failed that no call's caller hears about: a pushed function nobody exposed
     * ({@code UNKNOWN_FUNCTION}) or whose handler threw ({@code UPDATE_FAILED}), a refused
     * handshake or delivery mode, a script update (never run by this client).
     *
     * @param problem what failed, with its code
     */
    default void problem(PagewireCallException problem) {
    }
}
