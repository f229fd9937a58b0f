package dev.pagewire.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts held requests (Comet polls, streams) per HTTP session. Browsers open about six HTTP/1.1
 * connections per host, shared by a user's tabs; a few held ones leave the rest for calls and
 * pages, and tabs past the cap poll instead. Thread-safe.
 */
final class HeldRequests {
    private final int max;
    private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>(); // small Integers are shared
    private final AtomicInteger total = new AtomicInteger();

    HeldRequests(int max) {
        this.max = max;
    }

    /** Takes a place for the HTTP session with that key, if one is free. */
    boolean tryAcquire(String httpKey) {
        boolean[] taken = {false};
        counts.compute(httpKey, (k, n) -> {
            int count = n == null ? 0 : n;
            taken[0] = count < max;
            return taken[0] ? count + 1 : count;
        });
        if (taken[0]) {
            total.incrementAndGet();
        }
        return taken[0];
    }

    void release(String httpKey) {
        boolean[] released = {false};
        counts.computeIfPresent(httpKey, (k, n) -> {
            released[0] = true;
            return n <= 1 ? null : n - 1;
        });
        if (released[0]) {
            total.decrementAndGet();
        }
    }

    /** Held requests in all, for monitoring and leak checks. */
    int total() {
        return total.get();
    }
}
