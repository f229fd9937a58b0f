package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.redis.UpdateStreams.Delivery;
import dev.pagewire.redis.UpdateStreams.Entry;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data layer of updates against a real redis-server: ids, order, prefix-complete reads, faults. */
class UpdateStreamsTest {
    private static final UpdateStreams.Limits LIMITS = new UpdateStreams.Limits(5, 60_000, 60_000, 10_000, 5_000);

    private RedisServer redis;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private UpdateStreams streams;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        streams = new UpdateStreams(connection, "pw:", LIMITS);
        streams.loadFunctions();
    }

    @AfterEach
    void stop() {
        try {
            client.shutdown();
        } finally {
            redis.close();
        }
    }

    @Test
    void aPageGetsItsOwnAndItsScopesUpdatesOnceInOneGlobalOrder() {
        List<Long> ids = new ArrayList<>();
        ids.add(streams.pushScope("all", "\"call\":\"a\""));
        ids.add(streams.pushPages(List.of("P"), "\"call\":\"p1\""));
        ids.add(streams.pushScope("h:/chat/", "\"call\":\"chat\""));
        ids.add(streams.pushPages(List.of("Q"), "\"call\":\"q\""));
        ids.add(streams.pushPages(List.of("P", "Q"), "\"call\":\"pq\""));
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "ids increase: " + ids);
        }
        assertTrue(ids.get(4) < (1L << 53), "ids are safe JavaScript integers");

        Delivery p = streams.pull("P", List.of("all", "h:/chat/"), 0, 100);
        assertEquals(List.of("\"call\":\"a\"", "\"call\":\"p1\"", "\"call\":\"chat\"", "\"call\":\"pq\""),
                p.updates().stream().map(Entry::payload).toList());
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(4)), p.updates().stream().map(Entry::id).toList());
        assertEquals(ids.get(4), p.upTo(), "upTo: everything minted so far is accounted for");
        assertFalse(p.resync());

        Delivery again = streams.pull("P", List.of("all", "h:/chat/"), p.upTo(), 100);
        assertEquals(List.of(), again.updates(), "nothing twice");
        Delivery fromMiddle = streams.pull("P", List.of("all", "h:/chat/"), ids.get(1), 100);
        assertEquals(List.of(ids.get(2), ids.get(4)), fromMiddle.updates().stream().map(Entry::id).toList());
    }

    @Test
    void aReadCutShortClaimsOnlyThePrefixItReturns() {
        for (int i = 0; i < 10; i++) {
            streams.pushScope("all", "\"n\":" + i);
        }
        long lastPrivate = streams.pushPages(List.of("P"), "\"call\":\"mine\"");
        Delivery first = streams.pull("P", List.of("all"), 0, 4);
        assertEquals(4, first.updates().size());
        assertEquals(first.updates().get(3).id(), first.upTo(), "upTo stops where the cut stream stopped");
        List<Long> seen = new ArrayList<>(first.updates().stream().map(Entry::id).toList());
        long cursor = first.upTo();
        while (cursor < lastPrivate) {
            Delivery next = streams.pull("P", List.of("all"), cursor, 4);
            next.updates().forEach(e -> seen.add(e.id()));
            assertTrue(next.upTo() > cursor, "progress");
            cursor = next.upTo();
        }
        assertEquals(11, seen.size(), "every update exactly once: " + seen);
        assertEquals(seen.stream().sorted().distinct().toList(), seen, "in id order");
    }

    @Test
    void acknowledgedUpdatesLeaveThePrivateStreamAndAFullQueueBecomesOneResync() {
        long one = streams.pushPages(List.of("P"), "\"n\":1");
        streams.ack("P", one);
        assertEquals("0", redis.command("EXISTS", "pw:q:P"), "an acknowledged, empty stream is deleted");
        for (int i = 0; i < LIMITS.maxQueued() + 1; i++) {
            streams.pushPages(List.of("P"), "\"n\":" + i);
        }
        Delivery d = streams.pull("P", List.of(), one, 100);
        assertEquals(1, d.updates().size());
        assertTrue(d.updates().get(0).resync(), "the overflow is one resync marker, never a silent gap");
    }

    @Test
    void aScopeTrimmedPastThePageCursorAsksItToResync() {
        UpdateStreams forgetful = new UpdateStreams(connection, "pw:", new UpdateStreams.Limits(5, 60_000, 1, 10_000, 5_000));
        long first = forgetful.pushScope("all", "\"n\":1");
        // Later pushes trim what is older than 1 ms: push until one has trimmed the first away.
        Wait.until("a push to trim the first update", 10, () -> {
            forgetful.pushScope("all", "\"n\":2");
            return "1".equals(redis.command("HEXISTS", "pw:floors", "all"));
        });
        Delivery d = forgetful.pull("P", List.of("all"), first - 1, 100);
        assertTrue(d.resync(), "the first update is gone: the page must resync");
        Delivery current = forgetful.pull("P", List.of("all"), d.upTo(), 100);
        assertFalse(current.resync(), "a page at the present needs no resync");
    }

    @Test
    void concurrentPushesFromTwoNodesGetDistinctIncreasingIdsAndEachPageSeesThemInIdOrder() throws Exception {
        UpdateStreams.Limits roomy = new UpdateStreams.Limits(1000, 60_000, 60_000, 10_000, 5_000);
        UpdateStreams one = new UpdateStreams(connection, "pw:", roomy);
        UpdateStreams other = new UpdateStreams(client.connect(), "pw:", roomy);
        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (UpdateStreams node : List.of(one, other)) {
            for (int t = 0; t < 2; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 100; i++) {
                        ids.add(i % 2 == 0 ? node.pushScope("all", "\"x\":0") : node.pushPages(List.of("P"), "\"x\":1"));
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(400, ids.size());
        assertEquals(400, ids.stream().distinct().count(), "no id twice, even in one millisecond on two nodes");
        List<Long> seen = streams.pull("P", List.of("all"), 0, 1000).updates().stream().map(Entry::id).toList();
        assertEquals(400, seen.size(), "the page sees all 400");
        assertEquals(ids.stream().sorted().toList(), seen, "in id order");
    }

    @Test
    void killedAndRestartedOnItsAppendOnlyFileRedisLosesNothingAndIdsKeepIncreasing() {
        long a = streams.pushPages(List.of("P"), "\"n\":1");
        long b = streams.pushScope("all", "\"n\":2");
        redis.kill();
        redis.restart();
        Delivery d = waitForRedis(() -> streams.pull("P", List.of("all"), 0, 100));
        assertEquals(List.of(a, b), d.updates().stream().map(Entry::id).toList());
        long c = streams.pushScope("all", "\"n\":3");
        assertTrue(c > b, "after the restart ids go on above the old ones");
    }

    @Test
    void emptiedRedisStillMintsIdsAboveEveryCursorPagesHold() {
        long before = streams.pushScope("all", "\"n\":1");
        redis.restartEmpty();
        waitForRedis(() -> {
            streams.loadFunctions();
            return null;
        });
        long after = streams.pushScope("all", "\"n\":2");
        assertTrue(after > before, "a page's cursor from before never hides a new update");
        assertEquals(1, streams.pull("P", List.of("all"), before, 100).updates().size());
    }

    @Test
    void aReplayedPushIsWrittenOnce() {
        long first = streams.pushScope("all", "\"n\":1");
        // The same node and sequence number again, as Lettuce's replay after a reconnect sends it.
        String node = redis.command("HKEYS", "pw:nodes");
        String replay = redis.command("FCALL", "pw3_push_scope", "5", "pw:last", "pw:nodes", "pw:feed", "pw:s:all",
                "pw:floors", node, "1", "all", "\"n\":1", "60000", "10000");
        assertEquals("0", replay);
        assertEquals(List.of(first), streams.pull("P", List.of("all"), 0, 100).updates().stream().map(Entry::id).toList());
        assertEquals("1", redis.command("XLEN", "pw:feed"), "one feed entry");
    }

    /**
     * An application of an earlier release on the same Redis keeps its functions: the library's
     * name and its functions' names carry the version, so loading this release's replaces nothing
     * of another's, and each release calls its own.
     */
    @Test
    void anEarlierReleasesFunctionsStayLoadedBesideThisOnes() {
        String earlier = "#!lua name=pagewire_v2\nredis.register_function('pw_push_scope', function() return 'earlier' end)";
        assertEquals("pagewire_v2", redis.command("FUNCTION", "LOAD", earlier));
        streams.loadFunctions();
        assertEquals("earlier", redis.command("FCALL", "pw_push_scope", "0"), "the earlier release still answers");
        assertTrue(streams.pushScope("all", "\"n\":1") > 0, "and so does this one");
        String libraries = redis.command("FUNCTION", "LIST");
        assertTrue(libraries.contains("pagewire_v2") && libraries.contains(UpdateStreams.LIBRARY_NAME), libraries);
    }

    /**
     * Two nodes publish latest values of one topic: each key's versions are one sequence, written
     * first in the payload; a replay counts nothing; a page loading after its subscribe gets the
     * topic's plain updates and, of each key, the latest value only, in id order.
     */
    @Test
    void latestValuesOfTwoNodesAreVersionedInOneSequenceAndLoadedOnePerKey() {
        UpdateStreams other = new UpdateStreams(connection, "pw:", LIMITS); // another node: its own id and sequence
        streams.create("P", "/x/", "B", 60_000, 100, 10);
        long subscribed = streams.subscription("P", "/t", true, "{}");
        for (int n = 1; n <= 6; n++) {
            (n % 2 == 0 ? streams : other).pushLatest("/t", "A", "\"key\":\"A\",\"data\":" + n);
        }
        long plain = streams.pushScope("t:/t", "\"data\":0");
        long b = other.pushLatest("/t", "B", "\"key\":\"B\",\"data\":7");
        long a = streams.pushLatest("/t", "A", "\"key\":\"A\",\"data\":8");
        String node = redis.command("HKEYS", "pw:nodes").lines().findFirst().orElseThrow();
        String replay = redis.command("FCALL", "pw3_push_latest", "6", "pw:last", "pw:nodes", "pw:feed", "pw:l:/t",
                "pw:lk:/t", "pw:topics", node, "1", "/t", "A", "\"data\":1", "60000", "10000");
        assertEquals("0", replay, "a replay writes nothing");
        assertEquals("7", redis.command("HGET", "pw:l:/t", "v:A"), "and counts no version");

        UpdateStreams.Loaded loaded = streams.load("P", subscribed, 100, 60_000);
        assertEquals(List.of(new Entry(plain, false, "\"data\":0", null, null),
                new Entry(b, false, "\"version\":1,\"key\":\"B\",\"data\":7", "/t", "B"),
                new Entry(a, false, "\"version\":7,\"key\":\"A\",\"data\":8", "/t", "A")), loaded.updates());
    }

    /** Runs {@code action} until Redis takes it (it refuses while it loads its file), 20 s at most. */
    private static <T> T waitForRedis(Supplier<T> action) {
        List<T> result = new ArrayList<>(1);
        Wait.until("Redis to answer after its restart", 20, () -> {
            try {
                result.add(action.get());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        return result.get(0);
    }
}
