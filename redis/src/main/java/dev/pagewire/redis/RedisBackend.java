package dev.pagewire.redis;

import dev.pagewire.PushFailedException;
import dev.pagewire.spi.Deliveries;
import dev.pagewire.spi.PushBackend;
import dev.pagewire.spi.Target;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Carries pushes between Pagewire nodes through Redis: {@code Pagewire.builder().backend(
 * RedisBackend.create("redis://host:6379"))} on every node. A push is written to Redis once (a
 * broadcast or a path push whatever the number of pages, a push to chosen pages once per page)
 * under an id minted in Redis, and every node's one feed reader hands it to its own pages in id
 * order, so pages on different nodes apply the same pushes in the same order.
 *
 * <p>What works so far: pushes from any node to {@code all()}, {@code forPath(...)} and {@code
 * byId(...)} reach the pages of every node; groups only a node can resolve (a filter, an HTTP
 * session, the calling page) reach that node's matching pages. Each page is still served by the
 * node that made it (the balancer must keep a browser on one node); the shared page store that
 * lifts this is the next step (see {@code notes/scale-out-on-redis.md}).
 *
 * <p><b>Threading.</b> Thread-safe. A push waits for Redis on the pushing thread (one round trip,
 * at most the command timeout); deliveries run on the feed reader's thread. Lettuce reconnects by
 * itself; while Redis is unreachable pushes fail at once with {@link PushFailedException}.
 */
public final class RedisBackend implements PushBackend {
    /** Default Redis key prefix: one per application sharing a Redis. */
    public static final String DEFAULT_PREFIX = "pagewire:";
    /** Default time a push waits for Redis, in milliseconds. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 2_000;

    private final RedisURI uri;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final UpdateStreams streams;
    private FeedReader reader;

    private RedisBackend(RedisURI uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        this.connection = client.connect(uri);
        // Private streams are not read yet (pages are served by their own node): they expire fast.
        this.streams = new UpdateStreams(connection, prefix,
                new UpdateStreams.Limits(1000, 60_000, 60_000, 100_000, DEFAULT_TIMEOUT_MILLIS));
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
    public void start(Deliveries deliveries) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        streams.loadFunctions();
        reader = new FeedReader(client, uri, prefix, new FeedReader.Listener() {
            @Override
            public void entries(List<FeedReader.FeedEntry> batch) {
                for (FeedReader.FeedEntry e : batch) {
                    deliveries.deliver(e.id(), target(e), e.payload());
                }
            }

            @Override
            public void gap(FeedReader.FeedEntry next) {
                deliveries.missed(next.id() - 1);
            }
        }, Duration.ofSeconds(5), Duration.ofMillis(200));
        reader.start();
    }

    @Override
    public void publish(Target target, String update) {
        try {
            if (target instanceof Target.Pages pages) {
                streams.pushPages(pages.ids(), update);
            } else if (target instanceof Target.Path path) {
                streams.pushScope("h:" + path.path(), update);
            } else {
                streams.pushScope("all", update);
            }
        } catch (RedisUnavailableException e) {
            throw new PushFailedException("push not sent: " + e.getMessage()
                    + " (it may still arrive if Redis took it before the timeout)", e);
        } catch (RuntimeException e) {
            throw new PushFailedException("push not sent: Redis is unreachable or refused it: " + e.getMessage(), e);
        }
    }

    private static Target target(FeedReader.FeedEntry e) {
        if ("p".equals(e.kind())) {
            return new Target.Pages(Arrays.asList(e.targets().split(" ")));
        }
        return e.targets().startsWith("h:") ? new Target.Path(e.targets().substring(2)) : new Target.All();
    }

    @Override
    public void close() {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            client.shutdown();
        }
    }
}
