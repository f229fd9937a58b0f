package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.NodeProcess;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix of several nodes, all real processes: a redis-server with its append-only
 * file, nodes as JVMs behind a round-robin balancer, 200 pages (each its own browser) in one
 * delivery mode, 2,000 targeted pushes and 200 broadcasts made on several nodes while one node
 * with pages is killed with SIGKILL and another is started: every page applies every push meant
 * for it exactly once, in order, with no resync.
 */
class ClusterFaultTest {
    private static final int PAGES = 200;
    private static final int TARGETED_PER_PAGE = 10;
    private static final int BROADCASTS = 200;

    private enum Mode { POLLING, COMET, SSE }

    @Test
    void cometPagesLoseNothingWhenANodeIsKilled() throws Exception {
        nodeKilledUnderTraffic(Mode.COMET);
    }

    @Test
    void ssePagesLoseNothingWhenANodeIsKilled() throws Exception {
        nodeKilledUnderTraffic(Mode.SSE);
    }

    @Test
    void pollingPagesLoseNothingWhenANodeIsKilled() throws Exception {
        nodeKilledUnderTraffic(Mode.POLLING);
    }

    private void nodeKilledUnderTraffic(Mode mode) throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess victim = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess second = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess third = NodeProcess.start(RedisNodeMain.class, redis.uri());
             Balancer balancer = Balancer.start(victim.port(), second.port(), third.port());
             Browser browser = new Browser()) {
            List<SimulatedPage> pages = new ArrayList<>();
            for (int i = 0; i < PAGES; i++) {
                pages.add(new SimulatedPage(balancer.port(), mode));
            }
            pages.forEach(SimulatedPage::start);
            String chromium = openChromium(browser, balancer.port(), mode);
            List<String> targets = new ArrayList<>(pages.stream().map(p -> p.id).toList());
            targets.add(chromium);
            List<Control> pushers = new CopyOnWriteArrayList<>(List.of(new Control(second), new Control(third)));
            AtomicInteger returned = new AtomicInteger();
            AtomicReference<Throwable> pushFailure = new AtomicReference<>();
            // The second half of the pushes waits for the node's death and the cut, so the pages must
            // reconnect (some to the new node) to get it: otherwise they could have had everything
            // before the cut, and the test would prove nothing about the new node.
            CountDownLatch secondHalf = new CountDownLatch(1);
            Thread broadcasts = pusher("broadcasts", pushFailure, () -> {
                for (int n = 1; n <= BROADCASTS; n++) {
                    if (n == BROADCASTS / 2 + 1) {
                        await(secondHalf);
                    }
                    pushers.get(n % pushers.size()).call("broadcast", "/room/", n);
                    returned.incrementAndGet();
                }
            });
            Thread targeted = pusher("targeted", pushFailure, () -> {
                int i = 0;
                for (int n = 1; n <= TARGETED_PER_PAGE; n++) {
                    if (n == TARGETED_PER_PAGE / 2 + 1) {
                        await(secondHalf);
                    }
                    for (String target : targets) {
                        pushers.get(i++ % pushers.size()).call("toPage", target, n);
                        returned.incrementAndGet();
                    }
                }
            });
            int total = BROADCASTS + targets.size() * TARGETED_PER_PAGE;
            Wait.until("half the pushes returned", 120, () -> returned.get() >= total / 2 || pushFailure.get() != null);
            assertTrue(balancer.connections(victim.port()) > 0, "the node to kill served pages");
            victim.kill();
            balancer.remove(victim.port());
            NodeProcess fourth = NodeProcess.start(RedisNodeMain.class, redis.uri());
            try {
                balancer.add(fourth.port());
                pushers.add(new Control(fourth));
                balancer.cutAll(); // pages reconnect, some to the new node
                secondHalf.countDown();
                broadcasts.join(180_000);
                targeted.join(180_000);
                assertNull(pushFailure.get(), "every push returned");
                try {
                    Wait.until("every page applied every push", 120, () -> pages.stream().allMatch(SimulatedPage::done)
                            && chromiumGot(browser).size() >= BROADCASTS + TARGETED_PER_PAGE);
                } catch (AssertionError e) {
                    List<SimulatedPage> stuck = pages.stream().filter(p -> !p.done()).toList();
                    List<String> behind = stuck.stream().map(SimulatedPage::summary).toList();
                    StringBuilder nodes = new StringBuilder();
                    if (!stuck.isEmpty()) {
                        SimulatedPage p = stuck.get(0);
                        for (NodeProcess n : List.of(second, third, fourth)) {
                            PageClient direct = new PageClient(n.port());
                            HttpRequest.Builder poll = HttpRequest.newBuilder(URI.create("http://localhost:" + n.port()
                                    + "/pagewire/poll")).header("Content-Type", "application/json")
                                    .header("Cookie", p.client.cookieHeader())
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"ack\":" + p.lastApplied + "}"));
                            p.headers.forEach(poll::header);
                            PageClient.Reply r = direct.send(poll.build());
                            nodes.append("\nnode ").append(n.port()).append(": ").append(r.status()).append(' ')
                                    .append(r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
                        }
                    }
                    throw new AssertionError(behind.size() + " pages behind, such as " + behind.subList(0, Math.min(5, behind.size()))
                            + nodes, e);
                }
                assertTrue(balancer.connections(fourth.port()) > 0, "the new node served pages");
            } finally {
                pages.forEach(SimulatedPage::stop);
                fourth.close();
            }
            for (SimulatedPage page : pages) {
                page.assertExactlyOnceInOrder();
            }
            List<String> got = chromiumGot(browser);
            assertEquals(List.of(), browser.js("return window.problems;"), "Chromium page: " + browser.js("return window.errors;"));
            assertEquals(expected("b:", BROADCASTS), got.stream().filter(s -> s.startsWith("b:")).toList(), "Chromium page's broadcasts");
            assertEquals(expected("t:", TARGETED_PER_PAGE), got.stream().filter(s -> s.startsWith("t:")).toList(), "Chromium page's own pushes");
            assertEquals(BROADCASTS + TARGETED_PER_PAGE, got.size(), "Chromium page: nothing else, nothing twice");
        }
    }

    /** A real Chromium page at {@code /room/} through the balancer in {@code mode}; returns its page id. */
    private static String openChromium(Browser browser, int port, Mode mode) {
        browser.driver().get("http://localhost:" + port + "/room/");
        browser.await("await pagewire.ready; return true;");
        String wire = mode.name().toLowerCase(java.util.Locale.ROOT);
        browser.js("pagewire.reverseAjax(arguments[0]);", wire);
        Wait.until("Chromium in " + wire, 10, () -> wire.equals(browser.js("return pagewire.mode;")));
        return (String) browser.js("return pagewire.pageId;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> chromiumGot(Browser browser) {
        return List.copyOf((List<String>) browser.js("return window.got;"));
    }

    private static List<String> expected(String kind, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> kind + n).toList();
    }

    /**
     * Redis killed with SIGKILL under traffic and restarted on its append-only file: pushes fail
     * while it is down (the pushing code is told whether each may still arrive), pages keep being
     * served, and afterwards every page has every push whose call returned, once, in order, and no
     * push twice; no page is lost or resynced.
     */
    @Test
    void redisKilledUnderTrafficAndRestartedOnItsAppendOnlyFileLosesNothing() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess first = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess second = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess third = NodeProcess.start(RedisNodeMain.class, redis.uri());
             Balancer balancer = Balancer.start(first.port(), second.port(), third.port())) {
            List<SimulatedPage> pages = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                pages.add(new SimulatedPage(balancer.port(), Mode.COMET));
            }
            pages.forEach(SimulatedPage::start);
            List<Control> pushers = List.of(new Control(second), new Control(third));
            List<Integer> returned = new CopyOnWriteArrayList<>();
            List<Integer> maybe = new CopyOnWriteArrayList<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<Throwable> pushFailure = new AtomicReference<>();
            Thread broadcasts = pusher("broadcasts", pushFailure, () -> {
                int n = 1;
                for (int i = 0; n <= BROADCASTS; i++) {
                    int result = pushers.get(i % 2).callForInt("tryBroadcast", "/room/", n);
                    if (result == n) {
                        returned.add(n++);
                    } else if (result == -2) {
                        maybe.add(n++); // never sent again: it may have arrived
                    } else {
                        failed.incrementAndGet(); // certainly not sent: the same number again
                    }
                }
            });
            Wait.until("a third of the pushes returned", 60, () -> returned.size() >= BROADCASTS / 3 || pushFailure.get() != null);
            redis.kill();
            Wait.until("pushes failing while Redis is down", 30, () -> failed.get() > 0 || pushFailure.get() != null);
            redis.restart();
            broadcasts.join(120_000);
            try {
                assertNull(pushFailure.get(), "the pushing node kept answering");
                List<String> due = returned.stream().map(n -> "b:" + n).toList();
                Wait.until("every page has the pushes that returned", 120,
                        () -> pages.stream().allMatch(p -> p.failure.get() != null || p.applied.containsAll(due)));
            } finally {
                pages.forEach(SimulatedPage::stop);
            }
            for (SimulatedPage page : pages) {
                assertNull(page.failure.get(), "page " + page.id);
                List<Integer> got = page.applied.stream().map(s -> Integer.parseInt(s.substring(2))).toList();
                for (int i = 1; i < got.size(); i++) {
                    assertTrue(got.get(i) > got.get(i - 1), "once each, in order: " + got);
                }
                assertTrue(got.containsAll(returned), "every push that returned: " + got);
                assertTrue(returned.size() + maybe.size() >= got.size(), "nothing else: " + got);
            }
            assertTrue(failed.get() > 0, "some pushes failed while Redis was down");
        }
    }

    /** Waits for the test to release {@code latch}, up to two minutes. */
    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the second half of the pushes was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Thread pusher(String name, AtomicReference<Throwable> failure, Runnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A control page on one node, to make that node push. */
    private static final class Control {
        private final PageClient client;
        private final Map<String, String> headers;

        Control(NodeProcess node) {
            client = new PageClient(node.port());
            client.handshake("/control/");
            headers = client.pageHeaders();
        }

        synchronized void call(String method, Object... args) {
            callForInt(method, args);
        }

        synchronized int callForInt(String method, Object... args) {
            StringBuilder a = new StringBuilder();
            for (Object arg : args) {
                a.append(a.length() == 0 ? "" : ",").append(arg instanceof String ? "\"" + arg + "\"" : arg);
            }
            PageClient.Reply r = client.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Pusher\",\"method\":\""
                    + method + "\",\"args\":[" + a + "]}]}", headers);
            JsonObject reply = r.reply(0);
            if (!reply.has("result")) {
                throw new AssertionError("push refused: " + r.body());
            }
            return reply.get("result").getAsInt();
        }
    }

    /**
     * A page as the engine is, in one delivery mode, through the balancer: applies each update
     * once (id above its cursor), in order; takes {@code upTo}; retries after network failures.
     */
    private static final class SimulatedPage {
        private static final HttpClient STREAMS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final PageClient client;
        final String id;
        final Map<String, String> headers;
        final Mode mode;
        final String base;
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> failure = new AtomicReference<>();
        private volatile long lastApplied;
        private volatile boolean stopped;
        private final java.util.concurrent.CountDownLatch stopping = new java.util.concurrent.CountDownLatch(1);
        private volatile InputStream stream;
        private final Thread thread;
        private int unacknowledged;

        SimulatedPage(int port, Mode mode) {
            this.client = new PageClient(port);
            client.handshake("/room/");
            this.id = client.pageId();
            this.headers = client.pageHeaders();
            this.mode = mode;
            this.base = "http://localhost:" + port + "/pagewire";
            this.thread = new Thread(this::run, "page-" + id);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            stopping.countDown();
            InputStream s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing a stream that failed: nothing more to do
                }
            }
            thread.interrupt();
        }

        boolean done() {
            if (failure.get() != null) {
                return true;
            }
            synchronized (applied) {
                return count("b:") >= BROADCASTS && count("t:") >= TARGETED_PER_PAGE;
            }
        }

        String summary() {
            synchronized (applied) {
                List<String> missing = new ArrayList<>();
                for (int n = 1; n <= BROADCASTS; n++) {
                    if (!applied.contains("b:" + n)) {
                        missing.add("b:" + n);
                    }
                }
                for (int n = 1; n <= TARGETED_PER_PAGE; n++) {
                    if (!applied.contains("t:" + n)) {
                        missing.add("t:" + n);
                    }
                }
                return id + " at " + lastApplied + " missing " + (missing.size() > 12 ? missing.subList(0, 12) + "..." : missing);
            }
        }

        private long count(String prefix) {
            return applied.stream().filter(s -> s.startsWith(prefix)).count();
        }

        void assertExactlyOnceInOrder() {
            assertNull(failure.get(), "page " + id);
            List<String> copy;
            synchronized (applied) {
                copy = List.copyOf(applied);
            }
            assertEquals(IntStream.rangeClosed(1, BROADCASTS).mapToObj(n -> "b:" + n).toList(),
                    copy.stream().filter(s -> s.startsWith("b:")).toList(), "broadcasts of page " + id);
            assertEquals(IntStream.rangeClosed(1, TARGETED_PER_PAGE).mapToObj(n -> "t:" + n).toList(),
                    copy.stream().filter(s -> s.startsWith("t:")).toList(), "targeted pushes of page " + id);
            assertEquals(BROADCASTS + TARGETED_PER_PAGE, copy.size(), "nothing else, nothing twice: " + copy);
        }

        private void run() {
            while (!stopped && failure.get() == null) {
                try {
                    switch (mode) {
                        case POLLING -> {
                            poll(false);
                            pause(300); // the page's poll interval
                        }
                        case COMET -> poll(true);
                        case SSE -> stream();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | java.io.IOException e) {
                    try {
                        pause(100); // a network failure: the engine retries after a short backoff
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }

        /** Waits {@code millis} as the engine's timers do, or less when the test stops the page. */
        private void pause(long millis) throws InterruptedException {
            stopping.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        private void poll(boolean hold) {
            PageClient.Reply r = client.post("/poll", "{\"ack\":" + lastApplied + ",\"hold\":" + hold + "}", headers);
            check(r.status(), r.body());
            if (r.status() == 200) {
                JsonObject reply = r.json();
                for (JsonElement e : reply.getAsJsonArray("updates")) {
                    apply(e.getAsJsonObject());
                }
                upTo(reply);
            }
        }

        private void stream() throws java.io.IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/stream?page=" + id + "&token="
                            + headers.get("Pagewire-Token") + "&ack=" + lastApplied))
                    .header("Accept", "text/event-stream").header("Cookie", client.cookieHeader()).GET().build();
            HttpResponse<InputStream> response = STREAMS.send(request, HttpResponse.BodyHandlers.ofInputStream());
            stream = response.body();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                String data = null;
                for (String line = in.readLine(); line != null && !stopped; line = in.readLine()) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data = line.substring(6);
                    } else if (line.isEmpty() && data != null) {
                        JsonObject json = JsonParser.parseString(data).getAsJsonObject();
                        switch (event) {
                            case "message" -> {
                                apply(json);
                                if (++unacknowledged >= 10) {
                                    unacknowledged = 0;
                                    client.post("/ack", "{\"ack\":" + lastApplied + "}", headers);
                                }
                            }
                            case "hb" -> upTo(json);
                            case "refused" -> check(json.get("status").getAsInt(), data);
                            default -> { }
                        }
                        event = "message";
                        data = null;
                    }
                }
            }
        }

        private void check(int status, String body) {
            if (status == 410 || status == 403 || status == 400) {
                failure.compareAndSet(null, status + " " + body);
            }
        }

        private void apply(JsonObject u) {
            long seq = u.get("seq").getAsLong();
            if (seq <= lastApplied) {
                return;
            }
            lastApplied = seq;
            if (u.has("resync")) {
                failure.compareAndSet(null, "resync at " + seq);
                return;
            }
            String kind = u.get("call").getAsString().equals("ui.b") ? "b:" : "t:";
            applied.add(kind + u.getAsJsonArray("args").get(0).getAsInt());
        }

        private void upTo(JsonObject reply) {
            if (reply.has("upTo")) {
                lastApplied = Math.max(lastApplied, reply.get("upTo").getAsLong());
            }
        }
    }
}
