package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pagewire.push.RecentBatches;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A numbered batch ({@code "batch": n}) that reaches the server again, as a browser resends a
 * POST whose reused connection failed, gets the first run's replies and does not run again:
 * answered before, still running, or forgotten (refused, so its calls fail rather than run twice).
 */
class RepeatedBatchTest {
    /** Counts its calls per key; {@code later} answers when the test says. */
    public static final class Tally {
        static final Map<String, Integer> HITS = new ConcurrentHashMap<>();
        static final CompletableFuture<String> LATER = new CompletableFuture<>();

        /** Counts {@code key} and returns how often it came. */
        public int count(String key) {
            return HITS.merge(key, 1, Integer::sum);
        }

        /** Counts {@code key}, then answers when the test completes {@link #LATER}. */
        public CompletionStage<String> later(String key) {
            HITS.merge(key, 1, Integer::sum);
            return LATER;
        }
    }

    private static String numbered(long batch, String method, String key) {
        return "{\"ack\":0,\"batch\":" + batch + ",\"calls\":[{\"id\":1,\"proxy\":\"Tally\",\"method\":\"" + method
                + "\",\"args\":[\"" + key + "\"]}]}";
    }

    @Test
    void aRepeatedBatchGetsTheFirstRunsRepliesAndDoesNotRunAgain() {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Tally()))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/");
            PageClient.Reply first = page.post("/call", numbered(1, "count", "a"), page.pageHeaders());
            PageClient.Reply again = page.post("/call", numbered(1, "count", "a"), page.pageHeaders());
            assertEquals(1, first.reply(0).get("result").getAsInt());
            assertEquals(200, again.status());
            assertEquals(1, again.reply(0).get("result").getAsInt(), "the first run's result");
            assertEquals(1, Tally.HITS.get("a"), "ran once");

            assertEquals(1, page.post("/call", numbered(2, "count", "b"), page.pageHeaders()).reply(0)
                    .get("result").getAsInt(), "the next number runs");
            String unnumbered = "{\"calls\":[{\"id\":1,\"proxy\":\"Tally\",\"method\":\"count\",\"args\":[\"c\"]}]}";
            page.post("/call", unnumbered, page.pageHeaders());
            page.post("/call", unnumbered, page.pageHeaders());
            assertEquals(2, Tally.HITS.get("c"), "a batch without a number runs every time it comes");
        }
    }

    @Test
    void aBatchRepeatedWhileItRunsIsAnsweredWhenTheFirstRunEnds() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Tally()))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/");
            CompletableFuture<PageClient.Reply> first = CompletableFuture.supplyAsync(
                    () -> page.post("/call", numbered(7, "later", "w"), page.pageHeaders()));
            Wait.until("the first run to start", 10, () -> Tally.HITS.getOrDefault("w", 0) == 1);
            CompletableFuture<PageClient.Reply> again = CompletableFuture.supplyAsync(
                    () -> page.post("/call", numbered(7, "later", "w"), page.pageHeaders()));
            RecentBatches recent = server.pagewire().pageRegistry.find(page.pageId()).recentBatches();
            Wait.until("the repeat to wait for the first run", 10, () -> recent.repeatsWaiting(7) == 1);
            Tally.LATER.complete("done");
            assertEquals("done", first.get().reply(0).get("result").getAsString());
            assertEquals("done", again.get().reply(0).get("result").getAsString());
            assertEquals(1, Tally.HITS.get("w"), "ran once");
        }
    }

    @Test
    void aRepeatOfABatchNoLongerKeptIsRefusedNotRunAgain() {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Tally()))) {
            PageClient page = new PageClient(server.port());
            page.handshake("/");
            for (int n = 1; n <= RecentBatches.KEPT + 1; n++) {
                page.post("/call", numbered(n, "count", "k" + n), page.pageHeaders());
            }
            PageClient.Reply old = page.post("/call", numbered(1, "count", "k1"), page.pageHeaders());
            assertEquals(409, old.status());
            assertEquals("BATCH_REPEATED", old.errorCode());
            assertEquals(1, Tally.HITS.get("k1"), "not run again");
            assertEquals(1, page.post("/call", numbered(RecentBatches.KEPT + 1, "count", "x"), page.pageHeaders())
                    .reply(0).get("result").getAsInt(), "the newest batch is still answered from memory");
            assertNull(Tally.HITS.get("x"), "and its repeat ran nothing");
        }
    }
}
