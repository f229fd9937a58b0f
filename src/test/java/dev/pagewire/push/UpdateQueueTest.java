package dev.pagewire.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.push.UpdateQueue.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class UpdateQueueTest {
    private static List<Long> seqs(List<Entry> entries) {
        return entries.stream().map(Entry::seq).toList();
    }

    @Test
    void numbersFromOneAndKeepsUntilAcknowledged() {
        UpdateQueue q = new UpdateQueue(100, 10_000);
        q.append("\"call\":\"a\",\"args\":[]");
        q.append("\"call\":\"b\",\"args\":[]");
        q.append("\"call\":\"c\",\"args\":[]");
        assertEquals(List.of(1L, 2L, 3L), seqs(q.after(0)));
        assertEquals(List.of(1L, 2L, 3L), seqs(q.after(0)), "reading does not remove: a lost reply is resent");
        assertEquals(List.of(3L), seqs(q.after(2)));
        q.ack(2);
        assertEquals(1, q.depth());
        assertEquals(List.of(3L), seqs(q.after(0)), "after a reconnect with an old ack, only what is kept");
        q.ack(1);
        assertEquals(2, q.acked(), "a stale ack changes nothing");
        q.ack(99);
        assertEquals(3, q.acked(), "an ack beyond what was sent counts only up to the last update");
        assertEquals(0, q.depth());
        q.append("\"call\":\"d\",\"args\":[]");
        assertEquals(List.of(4L), seqs(q.after(3)));
        assertFalse(q.hasAfter(4));
        assertTrue(q.hasAfter(3));
    }

    @Test
    void overflowByCountOrSizeLeavesOneResyncMarker() {
        UpdateQueue byCount = new UpdateQueue(3, 10_000);
        for (int i = 0; i < 3; i++) {
            assertFalse(byCount.append("\"call\":\"f\",\"args\":[" + i + "]"));
        }
        assertTrue(byCount.append("\"call\":\"f\",\"args\":[3]"));
        List<Entry> left = byCount.after(0);
        assertEquals(List.of(new Entry(5, UpdateQueue.RESYNC)), left, "numbers go on after the dropped ones");
        assertFalse(byCount.append("\"call\":\"g\",\"args\":[]"));
        assertEquals(List.of(5L, 6L), seqs(byCount.after(0)), "updates after the marker are kept, in order");

        UpdateQueue bySize = new UpdateQueue(1000, 50);
        assertFalse(bySize.append("x".repeat(30)));
        assertTrue(bySize.append("y".repeat(30)));
        assertEquals(List.of(new Entry(3, UpdateQueue.RESYNC)), bySize.after(0));
        bySize.ack(3);
        assertEquals(0, bySize.depth());
    }

    @Test
    void aBackendsNumbersAreKeptAnUpdateHeardTwiceIsIgnoredAndAnOverflowTakesTheNumberOfThePushThatCausedIt() {
        UpdateQueue q = new UpdateQueue(2, 10_000);
        q.append(1000, "\"n\":1");
        q.append(1000, "\"n\":1");
        q.append(999, "\"n\":0");
        q.append(2048, "\"n\":2");
        assertEquals(List.of(1000L, 2048L), q.after(0).stream().map(UpdateQueue.Entry::seq).toList(),
                "gaps kept, repeats and older numbers dropped");
        assertTrue(q.append(4096, "\"n\":3"), "the third overflows a queue of two");
        assertEquals(List.of(new UpdateQueue.Entry(4096, UpdateQueue.RESYNC)), q.after(0),
                "one resync marker, numbered as the push that overflowed (the backend's next number is larger)");
        q.resyncAt(5000);
        assertEquals(List.of(new UpdateQueue.Entry(5000, UpdateQueue.RESYNC)), q.after(0), "missed pushes: resync");
        q.resyncAt(4000);
        assertEquals(5000, q.lastSeq(), "a resync below the last number changes nothing");
    }

    /**
     * A node's copy keeps one value per topic key, the newest by id, however deliveries and a load
     * from the store interleave; other updates stay, in id order.
     */
    @Test
    void aCopyKeepsTheNewestValueOfEachKeyInIdOrder() {
        UpdateQueue copy = UpdateQueue.copy(100, 10_000, () -> 0, new LongAdder());
        copy.append(10, "\"k\":10", "/t ACME");
        copy.append(20, "\"p\":20");
        copy.append(30, "\"k\":30", "/t ACME");
        copy.append(40, "\"i\":40", "/t IBM");
        copy.load(5, List.of(new Entry(25, "\"k\":25", "/t ACME"), new Entry(35, "\"i\":35", "/t IBM"),
                new Entry(50, "\"i\":50", "/t IBM")), 50); // a load that overlaps the deliveries
        copy.append(45, "\"i\":45", "/t IBM");
        assertEquals(List.of(new Entry(20, "\"p\":20"), new Entry(30, "\"k\":30", "/t ACME"),
                new Entry(50, "\"i\":50", "/t IBM")), copy.after(0),
                "older values of a key never come after newer ones");
        copy.ack(30);
        copy.append(60, "\"k\":60", "/t ACME");
        assertEquals(List.of(50L, 60L), seqs(copy.after(30)));
    }

    @Test
    void waiterIsWokenAfterAppendAndSeesTheUpdate() {
        UpdateQueue q = new UpdateQueue(2, 10_000);
        List<String> seen = new ArrayList<>();
        Waiter w = new Waiter() {
            @Override
            public void updatesAvailable(boolean overflowed) {
                // Called without the lock: the waiter reads the queue, as transports do.
                seen.add((overflowed ? "overflow:" : "") + seqs(q.after(0)));
            }

            @Override
            public void close() {
                seen.add("closed");
            }
        };
        assertEquals(null, q.replaceWaiter(w));
        q.append("a");
        q.append("b");
        q.append("c");
        q.removeWaiter(w);
        q.append("d");
        assertEquals(List.of("[1]", "[1, 2]", "overflow:[4]"), seen);
        q.replaceWaiter(w);
        q.close();
        assertEquals("closed", seen.get(seen.size() - 1));
        assertFalse(q.append("e"), "a closed queue takes nothing");
        assertEquals(0, q.depth());
    }

    @Test
    void concurrentPushesFromManyThreadsLoseNothingAndKeepEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        UpdateQueue q = new UpdateQueue(threads * perThread, Long.MAX_VALUE);
        AtomicInteger wakes = new AtomicInteger();
        q.replaceWaiter(new Waiter() {
            @Override
            public void updatesAvailable(boolean overflowed) {
                wakes.incrementAndGet();
            }

            @Override
            public void close() {
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    q.append(thread + ":" + i);
                }
            });
        }
        // Meanwhile a reader acknowledges as it goes, as a page would.
        start.countDown();
        List<Entry> received = new ArrayList<>();
        long acked = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.size() < threads * perThread && System.nanoTime() < deadline) {
            List<Entry> batch = q.after(acked);
            received.addAll(batch);
            if (!batch.isEmpty()) {
                acked = batch.get(batch.size() - 1).seq();
                q.ack(acked);
            }
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(threads * perThread, received.size());
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < received.size(); i++) {
            Entry e = received.get(i);
            assertEquals(i + 1, e.seq(), "numbers are contiguous and in order");
            String[] parts = e.fragment().split(":");
            int expected = next.getOrDefault(parts[0], 0);
            assertEquals(expected, Integer.parseInt(parts[1]), "thread " + parts[0] + " order");
            next.put(parts[0], expected + 1);
        }
        assertEquals(threads * perThread, wakes.get(), "every append woke the waiter");
        assertEquals(0, q.depth());
    }
}
