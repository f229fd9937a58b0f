package dev.pagewire.push;

import dev.pagewire.DeliveryMode;
import dev.pagewire.ScriptSession;
import dev.pagewire.transport.DeliveryRules;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The server's record of one loaded page. The token and the HTTP session key are secrets that
 * never leave the server except to the page that made the handshake.
 *
 * <p>Thread-safe: identity fields are final, attributes live in a concurrent map, and the
 * validity and last-seen fields are volatile.
 */
@SuppressWarnings("removal") // every page is also DWR's ScriptSession, for one release
public final class LivePage implements ScriptSession {
    private final String id;
    private final String token;
    private final String path;
    private final String httpKey;
    private final long createdAtMillis = System.currentTimeMillis();
    private volatile ConcurrentMap<String, Object> attributes; // made at the first set: most pages have none
    private final PageRegistry registry;
    private final UpdateQueue queue;
    private final DeliveryRules.Advice advice;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile boolean valid = true;
    private volatile boolean contacted;
    private volatile DeliveryMode mode;
    private volatile RecentBatches recentBatches; // made at the first numbered call batch
    private volatile String carrier; // the page whose socket carries this one's updates, if another's
    // With a page store: the highest private update this copy has seen, and the highest cursor
    // told to the store (a page that got only shared updates costs the store no acknowledgement).
    private volatile long personalMax;
    private long storeAcked; // guarded by this

    LivePage(String id, String token, String path, String httpKey, PageRegistry registry,
             UpdateQueue queue, DeliveryRules.Advice advice) {
        this.id = id;
        this.token = token;
        this.path = path;
        this.httpKey = httpKey;
        this.registry = registry;
        this.queue = queue;
        this.advice = advice;
        this.mode = advice.mode() == DeliveryMode.AUTO ? DeliveryMode.PASSIVE : advice.mode(); // until it asks
    }

    /** The page's updates. */
    public UpdateQueue queue() {
        return queue;
    }

    /** The page's latest numbered call batches, so that one the browser sends twice runs once. */
    public RecentBatches recentBatches() {
        RecentBatches r = recentBatches;
        if (r == null) {
            synchronized (this) {
                r = recentBatches;
                if (r == null) {
                    r = recentBatches = new RecentBatches();
                }
            }
        }
        return r;
    }

    /** The delivery rules for this page's path: its advised mode and the modes it may use. */
    public DeliveryRules.Advice advice() {
        return advice;
    }

    /** How the page last asked for updates (the advised mode until it asks). */
    @Override
    public DeliveryMode deliveryMode() {
        return mode;
    }

    @Override
    public int queuedUpdates() {
        return queue.depth();
    }

    @Override
    public long lastAcknowledged() {
        return queue.acked();
    }

    /**
     * The page applied every update up to {@code seq}: drops them here, and from the store when
     * private ones were among them.
     */
    public void ack(long seq) {
        queue.ack(seq);
        if (personalMax > 0) {
            synchronized (this) {
                if (seq <= storeAcked || personalMax <= storeAcked) {
                    return;
                }
                storeAcked = seq;
            }
            registry.acknowledged(this, seq);
        }
    }

    /** A private update (for this page alone) numbered {@code id} reached this copy. */
    synchronized void personal(long id) {
        if (id > personalMax) {
            personalMax = id;
        }
    }

    /**
     * Records how the page is asking for updates now. A page asking by a held request or polls has
     * a connection of its own; for websocket, the socket that says hello or attaches records its
     * carrier ({@link #carriedBy(String)}).
     */
    public void deliveryMode(DeliveryMode mode) {
        this.mode = mode;
        if (mode != DeliveryMode.WEBSOCKET) {
            this.carrier = null;
        }
    }

    @Override
    public Optional<String> carriedBy() {
        return Optional.ofNullable(carrier);
    }

    /**
     * Records that the socket of the page {@code carrierId} carries this page's updates now, or
     * ({@code null}) no longer.
     */
    public void carriedBy(String carrierId) {
        this.carrier = carrierId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Instant createdAt() {
        return Instant.ofEpochMilli(createdAtMillis);
    }

    @Override
    public Object getAttribute(String name) {
        ConcurrentMap<String, Object> map = attributes;
        return map == null ? null : map.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        ConcurrentMap<String, Object> map = attributes;
        if (value == null) {
            if (map != null) {
                map.remove(name);
            }
            return;
        }
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                    attributes = map;
                }
            }
        }
        map.put(name, value);
    }

    /** The attributes whose values are text: what the page store keeps of them (several nodes). */
    public Map<String, String> textAttributes() {
        ConcurrentMap<String, Object> map = attributes;
        if (map == null) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        map.forEach((name, value) -> {
            if (value instanceof String text) {
                out.put(name, text);
            }
        });
        return out;
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void invalidate() {
        registry.end(this, EndReason.INVALIDATED);
    }

    /** The page's secret: sent once, in the handshake reply, and never shown elsewhere. */
    public String token() {
        return token;
    }

    /** The secret key of the HTTP session this page belongs to. */
    public String httpKey() {
        return httpKey;
    }

    /** Marks the page as seen now; the idle timeout counts from here. */
    public void touch() {
        lastSeenNanos = System.nanoTime();
        contacted = true;
    }

    /** Whether the page has been heard from since its handshake. */
    boolean contacted() {
        return contacted;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    /** Returns true for the one caller that ended it. */
    synchronized boolean markEnded() {
        boolean was = valid;
        valid = false;
        return was;
    }

    @Override
    public String toString() {
        return "Page[" + id + " " + path + "]";
    }
}
