package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.redis.FeedReader.FeedEntry;
import dev.pagewire.testing.LogCapture;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's feed reader against a real redis-server: order, restarts, and an emptied Redis. */
class FeedReaderTest {
    private static final UpdateStreams.Limits LIMITS = new UpdateStreams.Limits(100, 60_000, 60_000, 10_000, 5_000);

    private final List<FeedEntry> heard = new CopyOnWriteArrayList<>();
    private final List<Long> gaps = new CopyOnWriteArrayList<>();
    private RedisServer redis;
    private RedisClient client;
    private UpdateStreams pusher;
    private FeedReader reader;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        pusher = new UpdateStreams(client.connect(), "pw:", LIMITS);
        pusher.loadFunctions();
        pusher.pushScope("all", "\"before\":1"); // minted before the reader starts: not heard
        reader = new FeedReader(client, RedisURI.create(redis.uri()), "pw:", new FeedReader.Listener() {
            @Override
            public void entries(List<FeedEntry> batch) {
                if (batch.stream().anyMatch(e -> e.payload().equals("\"fail\":1"))) {
                    throw new IllegalStateException("a listener's bug");
                }
                heard.addAll(batch);
            }

            @Override
            public void gap(FeedEntry next) {
                gaps.add(next.prev());
            }
        }, Duration.ofMillis(500), Duration.ofMillis(50));
        reader.start();
    }

    @AfterEach
    void stop() {
        try {
            reader.close();
            client.shutdown();
        } finally {
            redis.close();
        }
    }

    @Test
    void everyPushOfEveryNodeArrivesOnceInIdOrder() {
        UpdateStreams otherNode = new UpdateStreams(client.connect(), "pw:", LIMITS);
        long a = pusher.pushScope("h:/chat/", "\"call\":\"a\"");
        long b = otherNode.pushPages(List.of("P", "Q"), "\"call\":\"b\"");
        long c = pusher.pushScope("all", "\"call\":\"c\"");
        Wait.until("three feed entries", 10, () -> heard.size() == 3);
        assertEquals(List.of(a, b, c), heard.stream().map(FeedEntry::id).toList());
        assertEquals(new FeedEntry(a, heard.get(0).prev(), "s", "h:/chat/", "\"call\":\"a\"", null), heard.get(0));
        assertEquals(new FeedEntry(b, a, "p", "P Q", "\"call\":\"b\"", null), heard.get(1));
        assertEquals(List.of(), gaps);
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheReaderGoesOn() {
        try (LogCapture logs = LogCapture.start("dev.pagewire.redis")) {
            pusher.pushScope("all", "\"fail\":1");
            logs.await("dev.pagewire.redis", m -> m.equals("feed listener failed; reading on"), "the listener's failure");
            long after = pusher.pushScope("all", "\"n\":2");
            Wait.until("the next push", 10, () -> heard.stream().anyMatch(e -> e.id() == after));
        }
    }

    @Test
    void aRedisKilledAndRestartedOnItsFileIsReadOnWithoutAGap() {
        long a = pusher.pushScope("all", "\"n\":1");
        Wait.until("the first entry", 10, () -> heard.size() == 1);
        redis.kill();
        redis.restart();
        long[] b = new long[1];
        Wait.until("a push after the restart", 20, () -> {
            try {
                b[0] = pusher.pushScope("all", "\"n\":2");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        Wait.until("the entry pushed after the restart", 20, () -> heard.size() == 2);
        assertEquals(List.of(a, b[0]), heard.stream().map(FeedEntry::id).toList());
        assertEquals(List.of(), gaps, "nothing was lost, so no gap");
    }

    @Test
    void anEmptiedRedisIsAGapAndNewPushesStillArrive() {
        long a = pusher.pushScope("all", "\"n\":1");
        Wait.until("the first entry", 10, () -> heard.size() == 1);
        redis.restartEmpty();
        long[] b = new long[1];
        Wait.until("a push to the emptied Redis", 20, () -> {
            try {
                pusher.loadFunctions();
                b[0] = pusher.pushScope("all", "\"n\":2");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        Wait.until("the entry pushed after the restart", 20, () -> heard.size() == 2);
        assertTrue(b[0] > a, "ids stay above the old horizon");
        assertEquals(List.of(0L), gaps, "the reader says it cannot vouch for what came before");
    }
}
