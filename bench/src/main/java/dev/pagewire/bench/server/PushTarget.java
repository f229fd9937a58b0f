package dev.pagewire.bench.server;

/** What the benchmark's control endpoints need from a push implementation. */
interface PushTarget {
    /** Pages whose held request (long-poll or stream) is parked on the server now. */
    int parked();

    /** Sends {@code token} to every page; returns how many pages it was queued or written for. */
    int broadcast(String token);
}
