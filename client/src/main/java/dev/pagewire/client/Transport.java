package dev.pagewire.client;

/**
 * One delivery mode's way of receiving a page's updates, run on the delivery thread: it runs
 * until something only {@link Delivery} can decide happens, and returns what that is. Network
 * failures it handles itself, reconnecting with the client's backoff.
 */
interface Transport {
    /** Why a transport stopped. */
    enum Outcome {
        /** The page is no longer the client's (replaced after a call found it gone, or the client closed). */
        CHANGED,
        /** The server no longer knows the page: make a new one. */
        LOST,
        /** The server asked for polling instead (too many held requests for this browser). */
        FALLBACK,
        /** The server refused this mode for good (reported as a problem): fall back to passive. */
        REFUSED
    }

    /** Receives {@code page}'s updates until it must stop, and says why. */
    Outcome run(Page page) throws InterruptedException;
}
