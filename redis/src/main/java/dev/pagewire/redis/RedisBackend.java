package dev.pagewire.redis;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.pagewire.PushFailedException;
import dev.pagewire.spi.Deliveries;
import dev.pagewire.spi.PageStore;
import dev.pagewire.spi.PushBackend;
import dev.pagewire.spi.Target;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.lang.System.Logger.Level;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs Pagewire on several nodes with Redis: {@code Pagewire.builder().backend(
 * RedisBackend.create("redis://host:6379"))} on every node, behind any balancer, no sticky
 * sessions. Pages, their unacknowledged updates and the push feed live in Redis; a node keeps
 * copies of the pages it serves, so most requests cost no Redis command.
 *
 * <p>A push is written to Redis once (a broadcast or a path push whatever the number of pages,
 * a push to chosen pages once per page) under an id minted in Redis, and every node's one feed
 * reader hands it to its own copies in id order, so every page applies the same pushes in one
 * order whichever node serves it. A page's first request on a node loads it from Redis (one
 * round trip); its token and browser cookie are checked with a key kept in Redis ({@code
 * <prefix>secret}, made by the first node), so no node needs another's memory.
 *
 * <p><b>Threading.</b> Thread-safe. A push waits for Redis on the pushing thread (one round trip,
 * at most the command timeout), and so does a page's first request on a node; acknowledgements,
 * touches and ends are sent without waiting. Deliveries run on the feed reader's thread. Lettuce
 * reconnects by itself; while Redis is unreachable, pushes fail at once with {@link
 * PushFailedException} and requests that need Redis get 503.
 */
public final class RedisBackend implements PushBackend, PageStore {
    /** Default Redis key prefix: one per application sharing a Redis. */
    public static final String DEFAULT_PREFIX = "pagewire:";
    /** Default time a push waits for Redis, in milliseconds. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 2_000;
    /** Feed entries Redis keeps (about): a node that falls further behind loads its pages again. */
    static final long FEED_LENGTH = 100_000;
    /** How long {@link #close()} waits for the Redis client's threads to end, after its shutdown. */
    static final long CLOSE_WAIT_MILLIS = 5_000;
    /** Pages per touch call: one function call runs alone in Redis, so long lists are cut. */
    private static final int TOUCH_BATCH = 1000;
    private static final System.Logger LOG = System.getLogger("dev.pagewire.redis");
    private static final Gson GSON = new Gson();
    private static final Type TEXT_MAP = new TypeToken<Map<String, String>>() { }.getType();

    private final RedisURI uri;
    private final String prefix;
    private final ClientThreads threads = new ClientThreads();
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private volatile UpdateStreams streams;
    private volatile long idleMillis;
    private FeedReader reader;

    private RedisBackend(RedisURI uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
        this.resources = DefaultClientResources.builder().threadFactoryProvider(threads).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.connection = client.connect(uri);
        connection.setTimeout(Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS));
    }

    /**
     * A backend on the Redis at {@code uri} ({@code redis://[password@]host:port[/database]}),
     * with keys under {@value #DEFAULT_PREFIX}. Connects at once.
     *
     * @throws IllegalArgumentException for a malformed URI
     * @throws io.lettuce.core.RedisConnectionException when Redis cannot be reached
     */
    public static RedisBackend create(String uri) {
        return create(uri, DEFAULT_PREFIX);
    }

    /** As {@link #create(String)}, with keys under {@code prefix} (one per application). */
    public static RedisBackend create(String uri, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new RedisBackend(RedisURI.create(uri), prefix);
    }

    @Override
    public void start(Deliveries deliveries, Limits limits) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        idleMillis = limits.pageIdleMillis();
        // A shared update is kept as long as a page may stay silent, and then some: a page that
        // comes back within its idle timeout finds every update it missed.
        streams = new UpdateStreams(connection, prefix, new UpdateStreams.Limits(limits.maxQueuedUpdates(),
                limits.pageIdleMillis(), limits.pageIdleMillis() + 60_000, FEED_LENGTH, DEFAULT_TIMEOUT_MILLIS));
        streams.loadFunctions();
        reader = new FeedReader(client, uri, prefix, new FeedReader.Listener() {
            @Override
            public void entries(List<FeedReader.FeedEntry> batch) {
                for (FeedReader.FeedEntry e : batch) {
                    if ("e".equals(e.kind())) {
                        deliveries.ended(e.targets());
                    } else if ("u".equals(e.kind())) {
                        deliveries.subscription(e.id(), e.targets(), e.payload().substring(1), e.payload().startsWith("+"));
                    } else {
                        deliveries.deliver(e.id(), target(e), e.payload());
                    }
                }
                deliveries.heard(batch.get(batch.size() - 1).id());
            }

            @Override
            public void gap(FeedReader.FeedEntry next) {
                deliveries.missed(next.id() - 1);
            }
        }, Duration.ofSeconds(5), Duration.ofMillis(200));
        reader.start();
    }

    @Override
    public PageStore pages() {
        return this;
    }

    @Override
    public void publish(Target target, String update) {
        try {
            if (target instanceof Target.Pages pages) {
                streams().pushPages(pages.ids(), update);
            } else if (target instanceof Target.Path path) {
                streams().pushScope("h:" + path.path(), update);
            } else if (target instanceof Target.Topic topic && topic.key() != null) {
                streams().pushLatest(topic.name(), topic.key(), update);
            } else if (target instanceof Target.Topic topic) {
                streams().pushScope("t:" + topic.name(), update);
            } else {
                streams().pushScope("all", update);
            }
        } catch (RedisUnavailableException e) {
            throw new PushFailedException("push outcome unknown: " + e.getMessage()
                    + " (it may still arrive if Redis took it before the timeout)", e, true);
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("not connected") // rejected before sending
                    || e.getCause() instanceof RedisCommandExecutionException) { // Redis answered with an error
                throw new PushFailedException("push not sent: Redis is unreachable: " + e.getMessage(), e);
            }
            // Lost with the connection on its way: Redis may have run it.
            throw new PushFailedException("push outcome unknown: Redis failed or the connection broke while"
                    + " it was on its way (it may still arrive): " + e.getMessage(), e, true);
        }
    }

    /**
     * The key kept at {@code <prefix>secret}: 32 random bytes, written by the first node that
     * asks and read by every other. Anyone who can read Redis can forge page tokens: protect
     * Redis as you protect the pages' data (it holds that too).
     */
    @Override
    public byte[] secret() {
        byte[] mine = new byte[32];
        new SecureRandom().nextBytes(mine);
        var sync = connection.sync();
        String key = prefix + "secret";
        sync.set(key, Base64.getEncoder().encodeToString(mine), SetArgs.Builder.nx());
        return Base64.getDecoder().decode(sync.get(key));
    }

    @Override
    public Created create(String pageId, String path, String browser, PageCaps caps) {
        List<String> reply = streams().create(pageId, path, browser, caps.lifeMillis(), caps.maxPages(), caps.maxPerBrowser());
        return reply == null ? null : new Created(Long.parseLong(reply.get(0)), reply.subList(1, reply.size()));
    }

    @Override
    public Catchup catchUp(String pageId, long after, int most) {
        UpdateStreams.Loaded loaded = streams().load(pageId, after, most, idleMillis);
        if (loaded == null) {
            return null;
        }
        List<Update> updates = new ArrayList<>(loaded.updates().size() + 1);
        if (loaded.resync()) {
            updates.add(new Update(loaded.upTo(), true, true, ""));
        } else {
            for (int i = 0; i < loaded.updates().size(); i++) {
                UpdateStreams.Entry e = loaded.updates().get(i);
                updates.add(new Update(e.id(), loaded.personal().get(i), e.resync(), e.payload(), e.topic(),
                        e.key()));
            }
        }
        return new Catchup(loaded.path(), loaded.browser(), updates, loaded.upTo(), loaded.topics());
    }

    /** Kept in the page's record in Redis; the feed tells every node (one round trip). */
    @Override
    public long subscription(String pageId, String pattern, boolean subscribed, Map<String, String> attributes) {
        return streams().subscription(pageId, pattern, subscribed, GSON.toJson(attributes));
    }

    /** One Redis call; costs a match per pattern that has subscribers, and a read per page found. */
    @Override
    public List<Subscriber> subscribers(String name) {
        List<Subscriber> out = new ArrayList<>();
        for (UpdateStreams.Subscriber s : streams().subscribers(name)) {
            Map<String, String> attributes = GSON.fromJson(s.attributes(), TEXT_MAP);
            out.add(new Subscriber(s.pageId(), s.path(), s.start(), attributes == null ? Map.of() : attributes));
        }
        return out;
    }

    @Override
    public void acknowledge(String pageId, long upTo) {
        quietly("acknowledge", () -> streams().ackLater(pageId, upTo));
    }

    @Override
    public Set<String> touch(Collection<String> pageIds) {
        Set<String> gone = new HashSet<>();
        List<String> ids = List.copyOf(pageIds);
        for (int from = 0; from < ids.size(); from += TOUCH_BATCH) { // Redis serves others between batches
            gone.addAll(streams().touch(ids.subList(from, Math.min(ids.size(), from + TOUCH_BATCH)), idleMillis));
        }
        return gone;
    }

    @Override
    public Set<String> live(Collection<String> pageIds) {
        return pageIds.isEmpty() ? Set.of() : new HashSet<>(streams().live(pageIds));
    }

    @Override
    public void end(String pageId) {
        quietly("end a page", () -> streams().end(pageId));
    }

    @Override
    public void endBrowser(String browser) {
        quietly("end a browser's pages", () -> streams().endBrowser(browser));
    }

    /** Sends without waiting; a failure is logged (the page's lifetime in Redis is the safety net). */
    private void quietly(String what, java.util.function.Supplier<io.lettuce.core.RedisFuture<Long>> send) {
        try {
            send.get().whenComplete((r, e) -> {
                if (e != null) {
                    LOG.log(Level.DEBUG, "could not " + what + " in Redis: " + e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "could not " + what + " in Redis: " + e.getMessage());
        }
    }

    private UpdateStreams streams() {
        UpdateStreams s = streams;
        if (s == null) {
            throw new IllegalStateException("the backend has not been started: pass it to Pagewire.Builder.backend");
        }
        return s;
    }

    private static Target target(FeedReader.FeedEntry e) {
        if ("p".equals(e.kind())) {
            return new Target.Pages(Arrays.asList(e.targets().split(" ")));
        }
        if (e.targets().startsWith("t:")) {
            return new Target.Topic(e.targets().substring(2), e.key());
        }
        return e.targets().startsWith("h:") ? new Target.Path(e.targets().substring(2)) : new Target.All();
    }

    /**
     * Stops the feed reader and the Redis client, and waits up to {@value #CLOSE_WAIT_MILLIS} ms
     * for the client's threads to end, so a stopping web application leaves none running.
     * {@code Pagewire.close()} calls it.
     */
    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            try {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            } finally {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
                List<String> running = threads.awaitEnd(CLOSE_WAIT_MILLIS);
                if (!running.isEmpty()) {
                    LOG.log(Level.WARNING, "closed, but the Redis client's " + running + " still running after "
                            + CLOSE_WAIT_MILLIS + " ms");
                }
            }
        }
    }
}
