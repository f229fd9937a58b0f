package dev.pagewire.security;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Handshakes per client address: a token bucket each, holding {@code perMinute} handshakes and
 * refilled at {@code perMinute} a minute. A bucket is one number, the time at which it will be
 * full again (the generic cell rate algorithm): a handshake is admitted when that time is at most
 * a full bucket's worth ahead of now, and moves it one interval on.
 *
 * <p>Clients on a loopback address are not counted unless {@code limitLoopback}: they are a local
 * reverse proxy that was not declared trusted, or a local test or load tool.
 *
 * <p>The table is bounded: the housekeeper drops buckets that are full again (a new one is the
 * same), and a new client that finds {@code maxClients} tracked drops full buckets first, then
 * any. Dropping a bucket only ever gives its client a fresh allowance.
 *
 * <p><b>Threading.</b> Thread-safe: the table is a concurrent map, each bucket changes under its
 * own lock; {@link #sweep} runs on the housekeeper thread.
 */
public final class HandshakeRate {
    private final long interval;
    private final long burst;
    private final int maxClients;
    private final boolean limitLoopback;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** One client's bucket: {@code fullAt} is when it holds {@code perMinute} again. */
    private static final class Bucket {
        private long fullAt;

        Bucket(long now) {
            fullAt = now;
        }

        /** 0 when admitted, else nanoseconds until a handshake would be. */
        synchronized long take(long now, long interval, long burst) {
            long start = Math.max(fullAt, now);
            long wait = start + interval - now - burst;
            if (wait > 0) {
                return wait;
            }
            fullAt = start + interval;
            return 0;
        }

        synchronized boolean isFull(long now) {
            return fullAt <= now;
        }
    }

    /**
     * @param perMinute  handshakes a client may make at once, and per minute after
     * @param maxClients clients tracked at most
     * @param limitLoopback whether clients on a loopback address count
     */
    public HandshakeRate(int perMinute, int maxClients, boolean limitLoopback) {
        this.interval = TimeUnit.MINUTES.toNanos(1) / perMinute;
        this.burst = interval * perMinute;
        this.maxClients = maxClients;
        this.limitLoopback = limitLoopback;
    }

    /** Takes one handshake from {@code client}'s allowance: 0 when admitted, else seconds to wait (at least 1). */
    public long tryAcquire(String client) {
        if (!limitLoopback && ClientAddresses.isLoopback(client)) {
            return 0;
        }
        long now = System.nanoTime();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            makeRoom(now);
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(now));
        }
        long wait = bucket.take(now, interval, burst);
        return wait == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /** Clients tracked now. */
    int trackedClients() {
        return buckets.size();
    }

    /** Housekeeping: forgets clients whose bucket is full again. */
    public void sweep() {
        long now = System.nanoTime();
        buckets.values().removeIf(b -> b.isFull(now));
    }

    private void makeRoom(long now) {
        if (buckets.size() < maxClients) {
            return;
        }
        buckets.values().removeIf(b -> b.isFull(now));
        Iterator<Bucket> any = buckets.values().iterator();
        while (buckets.size() >= maxClients && any.hasNext()) {
            any.next();
            any.remove();
        }
    }
}
