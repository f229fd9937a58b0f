package dev.pagewire.bench.server;

/** What the benchmark's control endpoints need from a push implementation. */
interface PushTarget {
    /** Pages whose held request (long-poll or stream) is parked on the server now. */
    int parked();

    /** Sends {@code token} to every page; returns how many pages it was queued or written for. */
    int broadcast(String token);

    /**
     * Sends {@code token} to each page on its own (a targeted push per page, which a cluster
     * backend keeps per page until it is acknowledged); returns how many pages.
     */
    default int pushToEach(String token) {
        throw new UnsupportedOperationException("targeted pushes: Pagewire targets only");
    }
}
