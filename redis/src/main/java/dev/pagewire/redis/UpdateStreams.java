package dev.pagewire.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Pages' updates kept in Redis: the data layer of the cluster backend. Ids are minted inside
 * Redis, one id space for private and shared updates ({@code pagewire.lua} says how), so every
 * page applies each update once and in one global order whichever node it asks.
 *
 * <ul>
 * <li>{@link #pushScope}: one entry in a shared stream (everyone, a path, a topic) and one in the
 * feed, whatever the number of pages;</li>
 * <li>{@link #pushLatest}: a topic's latest value of a key, versioned for the cluster, replacing
 * the key's last value, and one entry in the feed;</li>
 * <li>{@link #pushPages}: one entry in each target page's private stream;</li>
 * <li>{@link #pull}: what a page has not applied yet, prefix-complete up to {@code upTo};</li>
 * <li>{@link #ack}: drops what a page has applied from its private stream.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Thread-safe. Pushes take the node's next sequence number and are sent under
 * one lock, so they reach Redis in sequence order on the shared connection (Lettuce keeps the
 * order, replays included): Redis then refuses a replayed push by its sequence number, so a
 * reconnect never duplicates an update. The caller's thread waits for the reply (one round trip)
 * outside the lock.
 */
final class UpdateStreams {
    /**
     * The Redis Functions library. Its name and its functions' names ({@code pw3_...}) carry a
     * version, raised whenever a function's arguments or reply change: functions are global to a
     * Redis, so two releases on one Redis (a rolling upgrade, or two applications under their own
     * prefixes) each keep and call their own.
     */
    static final String LIBRARY = load("pagewire.lua");
    /** The library's name, as its first line declares it. */
    static final String LIBRARY_NAME = "pagewire_v3";

    /** Fields of an update in a reply of {@code pw_load} or {@code pw_pull}: id, kind, payload, topic, key. */
    private static final int ENTRY_FIELDS = 5;

    private final StatefulRedisConnection<String, String> connection;
    private final Keys keys;
    private final Limits limits;
    private final String node = newNodeId();
    private final Object sendOrder = new Object();
    private long sequence;

    /**
     * @param maxQueued   updates a page keeps unacknowledged before it must resync
     * @param pageTtlMs   how long a private stream lives without a push (the page idle timeout)
     * @param keepMs      how long a shared stream keeps its entries for pages that catch up
     * @param feedLength  entries the feed keeps (approximately)
     * @param timeoutMs   how long a caller waits for Redis before the push fails
     */
    record Limits(int maxQueued, long pageTtlMs, long keepMs, long feedLength, long timeoutMs) {
    }

    /**
     * An update as a page gets it: its id, and the JSON after {@code "seq"}, or a resync marker;
     * for a topic's latest value of a key ({@link #pushLatest}), its topic and key, else {@code null}.
     */
    record Entry(long id, boolean resync, String payload, String topic, String key) {
    }

    /**
     * What a page gets for its cursor: every update meant for it with an id above the cursor and
     * up to {@code upTo}, in id order; {@code resync} when some of them are gone for good.
     */
    record Delivery(List<Entry> updates, long upTo, boolean resync) {
    }

    UpdateStreams(StatefulRedisConnection<String, String> connection, String prefix, Limits limits) {
        this.connection = connection;
        this.keys = new Keys(prefix);
        this.limits = limits;
    }

    /** Loads (or replaces) the functions; at start, and when Redis says they are missing. */
    void loadFunctions() {
        await(connection.async().functionLoad(LIBRARY, true));
    }

    /**
     * Appends {@code payload} to the shared stream {@code scope} ({@code "all"}, {@code "h:/chat/"},
     * {@code "t:prices"}) and to the feed.
     *
     * @return the update's id; 0 when Redis had it already (a replay)
     * @throws RedisUnavailableException when Redis does not answer within the timeout
     */
    long pushScope(String scope, String payload) {
        return pushed(() -> {
            synchronized (sendOrder) {
                long seq = ++sequence;
                return commands().fcall("pw3_push_scope", ScriptOutputType.VALUE, new String[] {keys.last(),
                        keys.nodes(), keys.feed(), keys.scope(scope), keys.floors(), keys.topics()},
                        node, Long.toString(seq), scope, payload, Long.toString(limits.keepMs()),
                        Long.toString(limits.feedLength()));
            }
        });
    }

    /**
     * Makes {@code payload} the latest value of {@code key} on topic {@code topic}: Redis counts
     * the key's next version (one sequence for every node), writes it first in the payload
     * ({@code "version":N,}), keeps the value in place of the key's last one, and appends it to the
     * feed with its key. One call, one round trip.
     *
     * @param payload the update's members after {@code "seq"}, without a version
     * @return the update's id; 0 when Redis had it already (a replay)
     * @throws RedisUnavailableException when Redis does not answer within the timeout
     */
    long pushLatest(String topic, String key, String payload) {
        return pushed(() -> {
            synchronized (sendOrder) {
                long seq = ++sequence;
                return commands().fcall("pw3_push_latest", ScriptOutputType.VALUE, new String[] {keys.last(),
                        keys.nodes(), keys.feed(), keys.latest(topic), keys.latestIds(topic), keys.topics()},
                        node, Long.toString(seq), topic, key, payload, Long.toString(limits.keepMs()),
                        Long.toString(limits.feedLength()));
            }
        });
    }

    /**
     * Sends a push; when Redis lost the functions (restarted empty, or flushed), loads them and
     * sends it again under a new sequence number: nothing ran the first time, so nothing doubles.
     */
    private long pushed(Supplier<RedisFuture<String>> send) {
        return Long.parseLong(withFunctions(send));
    }

    private <T> T withFunctions(Supplier<RedisFuture<T>> send) {
        try {
            return await(send.get());
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("Function not found")) {
                throw e;
            }
            loadFunctions();
            return await(send.get());
        }
    }

    /**
     * Appends {@code payload} to the private stream of each page and to the feed.
     *
     * @return the update's id; 0 when Redis had it already (a replay)
     * @throws RedisUnavailableException when Redis does not answer within the timeout
     */
    long pushPages(List<String> pageIds, String payload) {
        if (pageIds.isEmpty()) {
            throw new IllegalArgumentException("no target pages");
        }
        String[] k = new String[3 + pageIds.size()];
        k[0] = keys.last();
        k[1] = keys.nodes();
        k[2] = keys.feed();
        for (int i = 0; i < pageIds.size(); i++) {
            k[3 + i] = keys.page(pageIds.get(i));
        }
        List<String> args = new ArrayList<>(List.of("", "", payload, Integer.toString(limits.maxQueued()),
                Long.toString(limits.pageTtlMs()), Long.toString(limits.feedLength())));
        args.addAll(pageIds);
        return pushed(() -> {
            synchronized (sendOrder) {
                args.set(0, node);
                args.set(1, Long.toString(++sequence));
                return commands().fcall("pw3_push_pages", ScriptOutputType.VALUE, k, args.toArray(String[]::new));
            }
        });
    }

    /**
     * What page {@code pageId}, subscribed to {@code scopes}, has not applied after {@code after}.
     * Prefix-complete: the page may take {@code upTo} as its new cursor once it applied the updates.
     *
     * @param most entries read per stream at most; a stream cut short lowers {@code upTo}
     */
    Delivery pull(String pageId, List<String> scopes, long after, int most) {
        String[] k = new String[3 + scopes.size()];
        k[0] = keys.last();
        k[1] = keys.floors();
        k[2] = keys.page(pageId);
        List<String> args = new ArrayList<>(List.of(Long.toString(after), Integer.toString(most)));
        for (int i = 0; i < scopes.size(); i++) {
            k[3 + i] = keys.scope(scopes.get(i));
            args.add(scopes.get(i));
        }
        List<Object> reply = await(commands().<List<Object>>fcallReadOnly("pw3_pull", ScriptOutputType.MULTI, k,
                args.toArray(String[]::new)));
        long upTo = Long.parseLong((String) reply.get(0));
        boolean resync = ((Long) reply.get(1)) == 1;
        List<Entry> updates = new ArrayList<>((reply.size() - 2) / ENTRY_FIELDS);
        for (int i = 2; i < reply.size(); i += ENTRY_FIELDS) {
            updates.add(entry(reply, i));
        }
        return new Delivery(updates, upTo, resync);
    }

    /** The update whose fields start at {@code i} in {@code reply}. */
    private static Entry entry(List<Object> reply, int i) {
        String topic = (String) reply.get(i + 3);
        boolean latest = !topic.isEmpty(); // a topic name never is
        return new Entry(Long.parseLong((String) reply.get(i)), "r".equals(reply.get(i + 1)), (String) reply.get(i + 2),
                latest ? topic : null, latest ? (String) reply.get(i + 4) : null);
    }

    /**
     * Records page {@code pageId}.
     *
     * @return its start cursor followed by the ids of the browser's pages ended to make room;
     *         {@code null} when Redis holds {@code maxPages} pages
     */
    List<String> create(String pageId, String path, String browser, long lifeMs, int maxPages, int maxPerBrowser) {
        List<Object> reply = withFunctions(() -> commands().<List<Object>>fcall("pw3_create", ScriptOutputType.MULTI,
                new String[] {keys.last(), keys.feed()}, keys.prefix(), Long.toString(limits.feedLength()), pageId,
                path, browser, Long.toString(lifeMs), Integer.toString(maxPages), Integer.toString(maxPerBrowser)));
        if ("-1".equals(reply.get(0))) {
            return null;
        }
        return reply.stream().map(String::valueOf).toList();
    }

    /**
     * A page's record, its topic subscriptions, and what it has not applied after {@code after}:
     * see {@code pw_load}.
     */
    record Loaded(String path, String browser, long upTo, boolean resync, List<String> topics, List<Entry> updates,
                  List<Boolean> personal) {
    }

    /**
     * Page {@code pageId}'s record and its updates after {@code after}; {@code null} when the page
     * is unknown. More than {@code most} updates behind in one stream: resync, no updates. The
     * page's lifetime starts again ({@code idleMs}).
     */
    Loaded load(String pageId, long after, int most, long idleMs) {
        List<Object> reply = withFunctions(() -> commands().<List<Object>>fcall("pw3_load", ScriptOutputType.MULTI,
                new String[] {keys.last(), keys.floors(), keys.pageRecord(pageId), keys.page(pageId)},
                Long.toString(after), Integer.toString(most), keys.prefix(), Long.toString(idleMs)));
        if ("gone".equals(reply.get(0))) {
            return null;
        }
        int first = 5 + ((Long) reply.get(4)).intValue();
        List<String> topics = reply.subList(5, first).stream().map(String::valueOf).toList();
        List<Entry> updates = new ArrayList<>((reply.size() - first) / ENTRY_FIELDS);
        List<Boolean> personal = new ArrayList<>(updates.size());
        for (int i = first; i < reply.size(); i += ENTRY_FIELDS) {
            updates.add(entry(reply, i));
            personal.add(!"s".equals(reply.get(i + 1)));
        }
        return new Loaded((String) reply.get(2), (String) reply.get(3), Long.parseLong((String) reply.get(0)),
                ((Long) reply.get(1)) == 1, topics, updates, personal);
    }

    /**
     * Records that page {@code pageId} subscribed to {@code pattern} ({@code on}, with its
     * attributes as JSON) or unsubscribed from it, and tells every node through the feed (kind
     * {@code u}).
     *
     * @return the change's id; 0 when the page is unknown
     */
    long subscription(String pageId, String pattern, boolean on, String attributes) {
        return Long.parseLong(withFunctions(() -> commands().<String>fcall("pw3_subscribe", ScriptOutputType.VALUE,
                new String[] {keys.last(), keys.feed()}, keys.prefix(), Long.toString(limits.feedLength()), pageId,
                pattern, on ? "1" : "0", attributes)));
    }

    /** A page subscribed to a topic, as Redis keeps it: see {@code pw_subscribers}. */
    record Subscriber(String pageId, String path, long start, String attributes) {
    }

    /** The live pages subscribed by a pattern matching the topic {@code name}, each once. */
    List<Subscriber> subscribers(String name) {
        List<Object> reply = withFunctions(() -> commands().<List<Object>>fcall("pw3_subscribers", ScriptOutputType.MULTI,
                new String[0], keys.prefix(), name));
        List<Subscriber> out = new ArrayList<>(reply.size() / 4);
        for (int i = 0; i < reply.size(); i += 4) {
            out.add(new Subscriber((String) reply.get(i), (String) reply.get(i + 1),
                    Long.parseLong((String) reply.get(i + 2)), (String) reply.get(i + 3)));
        }
        return out;
    }

    /** Starts the lifetime of these pages again; returns those that no longer exist. */
    List<String> touch(Collection<String> pageIds, long idleMs) {
        List<String> args = new ArrayList<>(pageIds.size() + 2);
        args.add(keys.prefix());
        args.add(Long.toString(idleMs));
        args.addAll(pageIds);
        List<Object> reply = withFunctions(() -> commands().<List<Object>>fcall("pw3_touch", ScriptOutputType.MULTI,
                new String[0], args.toArray(String[]::new)));
        return reply.stream().map(String::valueOf).toList();
    }

    /** Those of these pages that still exist. */
    List<String> live(Collection<String> pageIds) {
        List<String> args = new ArrayList<>(pageIds.size() + 1);
        args.add(keys.prefix());
        args.addAll(pageIds);
        List<Object> reply = withFunctions(() -> commands().<List<Object>>fcallReadOnly("pw3_live", ScriptOutputType.MULTI,
                new String[0], args.toArray(String[]::new)));
        return reply.stream().map(String::valueOf).toList();
    }

    /** Ends page {@code pageId} everywhere (a feed entry tells every node). Idempotent. */
    RedisFuture<Long> end(String pageId) {
        return commands().fcall("pw3_end", ScriptOutputType.INTEGER, new String[] {keys.last(), keys.feed()},
                keys.prefix(), Long.toString(limits.feedLength()), pageId);
    }

    /** Ends every page of browser {@code browser} everywhere. Idempotent. */
    RedisFuture<Long> endBrowser(String browser) {
        return commands().fcall("pw3_end_browser", ScriptOutputType.INTEGER, new String[] {keys.last(), keys.feed()},
                keys.prefix(), Long.toString(limits.feedLength()), browser);
    }

    /** Drops the updates up to {@code upTo} from the page's private stream, without waiting. */
    RedisFuture<Long> ackLater(String pageId, long upTo) {
        return commands().fcall("pw3_ack", ScriptOutputType.INTEGER, new String[] {keys.page(pageId)},
                Long.toString(upTo));
    }

    /** Drops the updates up to {@code upTo} from the page's private stream. Idempotent. */
    void ack(String pageId, long upTo) {
        await(commands().fcall("pw3_ack", ScriptOutputType.INTEGER, new String[] {keys.page(pageId)},
                Long.toString(upTo)));
    }

    private RedisAsyncCommands<String, String> commands() {
        return connection.async();
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(limits.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RedisUnavailableException("Redis did not answer within " + limits.timeoutMs() + " ms", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis refused: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    /** 64 random bits per process start: a restarted node never reuses an old node's sequence. */
    private static String newNodeId() {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static String load(String name) {
        try (InputStream in = UpdateStreams.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " next to " + UpdateStreams.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Key names under one prefix (one per application sharing a Redis). */
    record Keys(String prefix) {
        String last() {
            return prefix + "last";
        }

        String nodes() {
            return prefix + "nodes";
        }

        String feed() {
            return prefix + "feed";
        }

        String floors() {
            return prefix + "floors";
        }

        String topics() {
            return prefix + "topics";
        }

        String scope(String scope) {
            return prefix + "s:" + scope;
        }

        /** A topic's latest values and their versions, by key (a hash). */
        String latest(String topic) {
            return prefix + "l:" + topic;
        }

        /** The ids of a topic's latest values (a sorted set of keys). */
        String latestIds(String topic) {
            return prefix + "lk:" + topic;
        }

        String page(String pageId) {
            return prefix + "q:" + pageId;
        }

        String pageRecord(String pageId) {
            return prefix + "p:" + pageId;
        }

        String secret() {
            return prefix + "secret";
        }
    }
}
