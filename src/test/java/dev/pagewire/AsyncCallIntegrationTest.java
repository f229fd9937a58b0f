package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote methods returning {@link CompletionStage}, over real HTTP against an embedded Tomcat
 * with two request threads: pending calls hold none of them.
 */
class AsyncCallIntegrationTest {
    @ClientVisible
    public static class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Declined(String message) {
            super(message);
        }
    }

    record Pending(int n, CompletableFuture<String> future) {
    }

    /** Methods whose stages the test completes, or that never complete. */
    @RemoteProxy(name = "Slow")
    public static class Slow {
        final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
        final AtomicInteger echoes = new AtomicInteger();

        @RemoteMethod
        public CompletableFuture<String> later(int n) {
            CompletableFuture<String> f = new CompletableFuture<>();
            waiting.add(new Pending(n, f));
            return f;
        }

        @RemoteMethod
        public CompletionStage<String> never() {
            return new CompletableFuture<>();
        }

        @RemoteMethod
        public CompletionStage<String> decline(String why) {
            return CompletableFuture.supplyAsync(() -> {
                throw new Declined(why);
            });
        }

        @RemoteMethod
        public CompletionStage<String> crash() {
            return CompletableFuture.failedFuture(new IllegalStateException("database password is hunter2"));
        }

        @RemoteMethod
        public CompletionStage<Void> nothing() {
            return CompletableFuture.runAsync(() -> { });
        }

        @RemoteMethod
        public CompletionStage<String> where(Page page, Pages pages) {
            boolean current = pages.current().pages().get(0).id().equals(page.id());
            return CompletableFuture.supplyAsync(() -> page.path() + " current=" + current);
        }

        @RemoteMethod
        public String nap(long millis) throws InterruptedException {
            Thread.sleep(millis); // a slow synchronous method, as the budget meets it
            return "rested";
        }

        @RemoteMethod
        public String echo(String text) {
            echoes.incrementAndGet();
            return text;
        }
    }

    private static final Slow slow = new Slow();
    private static PagewireServer server;
    private static ExecutorService senders;

    @BeforeAll
    static void start() {
        server = PagewireServer.create(Pagewire.builder().expose(slow).build())
                .connector(c -> {
                    c.setProperty("maxThreads", "2");
                    c.setProperty("minSpareThreads", "2");
                })
                .start(0);
        senders = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stop() {
        senders.shutdownNow();
        server.stop();
    }

    @AfterEach
    void completeLeftovers() {
        slow.waiting.forEach(p -> p.future().complete("left over"));
        slow.waiting.clear();
    }

    private static PageClient.Reply sendBatch(PageClient page, int size, String method) {
        PageClient.Batch batch = page.batch();
        for (int i = 0; i < size; i++) {
            batch.call("Slow", method, i);
        }
        return batch.send();
    }

    private static JsonArray replies(PageClient.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        return reply.json().getAsJsonArray("replies");
    }

    private static String code(JsonArray replies, int index) {
        JsonObject r = replies.get(index).getAsJsonObject();
        return r.has("error") ? r.getAsJsonObject("error").get("code").getAsString() : "OK";
    }

    @Test
    void batchesOfPendingCallsHoldNoContainerThread() throws Exception {
        PageClient page = new PageClient(server.port());
        page.handshake("/async/");
        // Three batches of 100 pending calls on a server with two request threads.
        List<CompletableFuture<PageClient.Reply>> batches = IntStream.range(0, 3)
                .mapToObj(b -> CompletableFuture.supplyAsync(() -> sendBatch(page, 100, "later"), senders))
                .toList();
        Wait.until("300 calls started", 20, () -> slow.waiting.size() == 300);
        assertEquals("still answering", page.call("Slow", "echo", "still answering").get("result").getAsString());
        assertTrue(batches.stream().noneMatch(CompletableFuture::isDone), "the replies wait for their calls");

        slow.waiting.forEach(p -> p.future().complete("done " + p.n()));
        for (CompletableFuture<PageClient.Reply> batch : batches) {
            JsonArray replies = replies(batch.get(20, TimeUnit.SECONDS));
            assertEquals(100, replies.size());
            for (int i = 0; i < 100; i++) {
                JsonObject r = replies.get(i).getAsJsonObject();
                assertEquals(i + 1, r.get("id").getAsInt(), "ids count from 1");
                assertEquals("done " + i, r.get("result").getAsString());
            }
        }
    }

    @Test
    void theReplyCarriesTheUpdatesQueuedByTheTimeItIsWritten() throws Exception {
        PageClient page = new PageClient(server.port());
        page.handshake("/async/updates/");
        CompletableFuture<PageClient.Reply> reply = CompletableFuture.supplyAsync(
                () -> sendBatch(page, 1, "later"), senders);
        Wait.until("the call started", 20, () -> slow.waiting.size() == 1);
        server.pagewire().pages().forPath("/async/updates/").call("ui.show", "while pending");
        slow.waiting.poll().future().complete("done");

        JsonObject body = reply.get(20, TimeUnit.SECONDS).json();
        assertEquals("done", body.getAsJsonArray("replies").get(0).getAsJsonObject().get("result").getAsString());
        JsonObject update = body.getAsJsonArray("updates").get(0).getAsJsonObject();
        assertEquals("ui.show", update.get("call").getAsString());
        assertEquals("while pending", update.getAsJsonArray("args").get(0).getAsString());
    }

    @Test
    void aFailedStageFollowsTheRulesOfAThrownException() {
        PageClient page = new PageClient(server.port());
        page.handshake("/async/");
        JsonArray replies = replies(page.batch().call("Slow", "decline", "sold out").call("Slow", "crash")
                .call("Slow", "nothing").call("Slow", "echo", "sync").send());
        JsonObject declined = replies.get(0).getAsJsonObject().getAsJsonObject("error");
        assertEquals("EXCEPTION", declined.get("code").getAsString());
        assertEquals("Declined", declined.get("name").getAsString());
        assertEquals("sold out", declined.get("message").getAsString());
        JsonObject crashed = replies.get(1).getAsJsonObject().getAsJsonObject("error");
        assertEquals("INTERNAL", crashed.get("code").getAsString());
        assertTrue(crashed.has("incident"));
        assertFalse(replies.toString().contains("hunter2"), replies.toString());
        assertEquals("{\"id\":3}", replies.get(2).toString(), "CompletionStage<Void> has no result");
        assertEquals("sync", replies.get(3).getAsJsonObject().get("result").getAsString());
    }

    @Test
    void injectedParametersAreResolvedForAsyncMethods() {
        PageClient page = new PageClient(server.port());
        page.handshake("/async/where/");
        assertEquals("/async/where/ current=true", page.call("Slow", "where").get("result").getAsString());
    }

    @Test
    void theBudgetCutsASlowBatch() {
        PagewireServer budgeted = PagewireServer.create(Pagewire.builder().expose(slow)
                .batchTimeBudget(Duration.ofSeconds(1)).build()).start(0);
        try {
            PageClient page = new PageClient(budgeted.port());
            page.handshake("/async/");
            int echoes = slow.echoes.get();
            JsonArray replies = replies(page.batch().call("Slow", "never").call("Slow", "nap", 1200)
                    .call("Slow", "echo", "too late").send());
            assertEquals("TIMEOUT", code(replies, 0), "still running at the budget");
            assertEquals("rested", replies.get(1).getAsJsonObject().get("result").getAsString());
            assertEquals("TIMEOUT", code(replies, 2), "its turn came after the budget");
            assertEquals(echoes, slow.echoes.get(), "a call past the budget never runs");
            assertTrue(replies.get(0).getAsJsonObject().getAsJsonObject("error").get("message").getAsString()
                    .contains("time budget of 1000 ms"), replies.toString());

            JsonArray waited = replies(page.batch().call("Slow", "never").call("Slow", "echo", "in time").send());
            assertEquals("TIMEOUT", code(waited, 0), "cut by the budget while the request waited");
            assertEquals("in time", waited.get(1).getAsJsonObject().get("result").getAsString());
        } finally {
            budgeted.stop();
        }
    }

    @Test
    void typeScriptSeesTheStagesValue() {
        String dts = new PageClient(server.port()).get("/interface/Slow.d.ts", Map.of()).body();
        assertTrue(dts.contains("later(n: number, options?: CallOptions<string> | ((result: string) => void)):"
                + " Promise<string>;"), dts);
        assertTrue(dts.contains("nothing(options?: CallOptions<void> | ((result: void) => void)): Promise<void>;"), dts);
    }

    @Test
    void aStageWithoutAConvertibleValueTypeFailsAtStart() {
        @RemoteProxy
        class Raw {
            @SuppressWarnings("rawtypes")
            @RemoteMethod
            public CompletionStage raw() {
                return null;
            }
        }
        @RemoteProxy
        class Untyped {
            @RemoteMethod
            public CompletionStage<Object> anything() {
                return null;
            }
        }
        String raw = assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(Raw.class).instanceFactory(c -> null).build()).getMessage();
        assertTrue(raw.contains("raw()") && raw.contains("CompletionStage<T>"), raw);
        String untyped = assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(Untyped.class).instanceFactory(c -> null).build()).getMessage();
        assertTrue(untyped.contains("anything()") && untyped.contains("return"), untyped);
    }

    @Test
    void theBudgetMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().batchTimeBudget(Duration.ZERO));
        assertEquals(30, Pagewire.Builder.DEFAULT_BATCH_TIME_BUDGET_SECONDS);
    }
}
