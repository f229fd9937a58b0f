package dev.pagewire.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's one blocking reader of the feed: every push of every node, in id order, handed to a
 * {@link Listener} one batch at a time. With it a node wakes its own parked pages for pushes made
 * on any node, and knows up to which id it has seen everything (its horizon).
 *
 * <p>Each feed entry names the id minted just before it ({@code prev}). An entry whose
 * {@code prev} is not the horizon means the node missed entries (the feed was trimmed past it, or
 * Redis came back with older or no data): the listener hears {@link Listener#gap} and must not
 * trust what it cached below the new horizon.
 *
 * <p><b>Threading.</b> One daemon thread ({@code pagewire-feed}) on a connection of its own: a
 * blocking read on the shared connection would stall every other command. It calls the listener,
 * which must hand work on rather than block; a listener that throws is logged at ERROR and the
 * reader goes on. When Redis is unreachable it retries every {@code retry} until
 * {@link #close()}; Lettuce reconnects underneath.
 */
final class FeedReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.redis");

    /** What the node does with the feed; called on the reader's thread, in id order. */
    interface Listener {
        /** Entries after the horizon, ascending; the horizon is then the last one's id. */
        void entries(List<FeedEntry> batch);

        /**
         * Entries were missed before {@code next} (its {@code prev} is not the horizon): drop what
         * was derived from them. {@code next} comes in the following batch.
         */
        void gap(FeedEntry next);
    }

    /**
     * One push as the feed tells it: {@code kind} {@code s} (a scope: {@code targets} is its name;
     * {@code key} the key of a topic's latest value, else {@code null}) or {@code p} (pages: {@code
     * targets} is their ids, space-separated); or a page's change: {@code e} (it ended; {@code
     * targets} is its id) or {@code u} (a topic subscription: {@code targets} is its id, {@code
     * payload} {@code +pattern} or {@code -pattern}).
     */
    record FeedEntry(long id, long prev, String kind, String targets, String payload, String key) {
    }

    private final StatefulRedisConnection<String, String> connection;
    private final String feed;
    private final String last;
    private final Listener listener;
    private final Duration block;
    private final Duration retry;
    private final Thread thread;
    private volatile boolean closed;
    private long horizon;

    FeedReader(RedisClient client, RedisURI uri, String prefix, Listener listener, Duration block, Duration retry) {
        RedisURI reading = RedisURI.builder(uri).withTimeout(block.multipliedBy(2)).build();
        this.connection = client.connect(reading);
        this.feed = new UpdateStreams.Keys(prefix).feed();
        this.last = new UpdateStreams.Keys(prefix).last();
        this.listener = listener;
        this.block = block;
        this.retry = retry;
        this.thread = new Thread(this::run, "pagewire-feed");
        this.thread.setDaemon(true);
    }

    /** Reads from the newest id minted now on; returns that horizon. */
    long start() {
        String minted = connection.sync().get(last);
        horizon = minted == null ? 0 : Long.parseLong(minted);
        long from = horizon;
        thread.start();
        return from;
    }

    private void run() {
        RedisCommands<String, String> redis = connection.sync();
        XReadArgs args = XReadArgs.Builder.block(block).count(1000);
        while (!closed) {
            try {
                List<StreamMessage<String, String>> read = redis.xread(args,
                        XReadArgs.StreamOffset.from(feed, horizon + "-0"));
                if (read != null && !read.isEmpty()) {
                    deliver(read);
                }
            } catch (RedisException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "feed read failed, retrying: " + e.getMessage());
                    LockSupport.parkNanos(retry.toNanos());
                }
            } catch (RuntimeException e) {
                // A listener's bug must not end delivery for the whole node: the batch is lost to
                // this node's pages (they resync on their own overflow or timeout), later ones go on.
                LOG.log(Level.ERROR, "feed listener failed; reading on", e);
            }
        }
    }

    private void deliver(List<StreamMessage<String, String>> read) {
        List<FeedEntry> batch = new ArrayList<>(read.size());
        for (StreamMessage<String, String> m : read) {
            FeedEntry e = entry(m);
            if (e.prev() != horizon) {
                if (!batch.isEmpty()) {
                    listener.entries(batch);
                    batch = new ArrayList<>();
                }
                LOG.log(Level.DEBUG, "feed gap: expected prev " + horizon + ", got " + e.prev());
                listener.gap(e);
            }
            batch.add(e);
            horizon = e.id();
        }
        listener.entries(batch);
    }

    private static FeedEntry entry(StreamMessage<String, String> m) {
        Map<String, String> body = m.getBody();
        long id = Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
        return new FeedEntry(id, Long.parseLong(body.get("prev")), body.get("k"), body.get("g"), body.get("u"),
                body.get("key"));
    }

    /** Stops the reader (within one block interval) and closes its connection. */
    @Override
    public void close() {
        closed = true;
        connection.close();
        try {
            thread.join(block.multipliedBy(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
