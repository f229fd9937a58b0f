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
    private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    HeldRequests(int max) {
        this.max = max;
    }

    /** Takes a place for the HTTP session with that key, if one is free. */
    boolean tryAcquire(String httpKey) {
        boolean[] taken = {false};
        counts.compute(httpKey, (k, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < max) {
                count.incrementAndGet();
                taken[0] = true;
            }
            return count;
        });
        return taken[0];
    }

    void release(String httpKey) {
        counts.computeIfPresent(httpKey, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Held requests in all, for monitoring and leak checks. */
    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
