package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.Pagewire;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one real redis-server and a page whose requests go to either node in turn, as
 * behind a round-robin balancer without sticky sessions: every request is served, and the page
 * applies every push once, in order.
 */
class NoStickySessionsTest {
    private RedisServer redis;
    private TestServer a;
    private TestServer b;

    /** Logs in and out: an HTTP session made and invalidated, as an application's login does. */
    @dev.pagewire.RemoteProxy
    public static class Login {
        /** Starts the HTTP session. */
        @dev.pagewire.RemoteMethod
        public boolean login(jakarta.servlet.http.HttpSession session) {
            return session.isNew();
        }

        /** Ends it. */
        @dev.pagewire.RemoteMethod
        public boolean logout(jakarta.servlet.http.HttpSession session) {
            session.invalidate();
            return true;
        }
    }

    private void start(UnaryOperator<Pagewire.Builder> settings) {
        redis = RedisServer.start();
        a = TestServer.start(settings.apply(Pagewire.builder().expose(new Ping()).expose(Login.class))
                .backend(RedisBackend.create(redis.uri())));
        b = TestServer.start(settings.apply(Pagewire.builder().expose(new Ping()).expose(Login.class))
                .backend(RedisBackend.create(redis.uri())));
    }

    @AfterEach
    void stop() {
        try (RedisServer r = redis; TestServer second = b; TestServer first = a) {
            // closed in reverse order: the nodes, then Redis
        }
    }

    /** A page as the engine is: applies each update once, in order, and takes {@code upTo} as its cursor. */
    private static final class Page {
        final PageClient client;
        final String id;
        final Map<String, String> headers;
        final List<String> applied = new ArrayList<>();
        long lastApplied;

        Page(PageClient client, String path) {
            this.client = client;
            client.handshake(path);
            this.id = client.pageId();
            this.headers = Map.of("Pagewire-Page", id, "Pagewire-Token", client.token());
        }

        void take(JsonObject reply) {
            if (reply.has("updates")) {
                for (JsonElement e : reply.getAsJsonArray("updates")) {
                    JsonObject u = e.getAsJsonObject();
                    long seq = u.get("seq").getAsLong();
                    if (seq > lastApplied) {
                        lastApplied = seq;
                        applied.add(u.has("resync") ? "resync" : u.getAsJsonArray("args").get(0).getAsString());
                    }
                }
            }
            if (reply.has("upTo")) {
                lastApplied = Math.max(lastApplied, reply.get("upTo").getAsLong());
            }
        }

        PageClient.Reply poll(boolean hold) {
            PageClient.Reply r = client.post("/poll", "{\"ack\":" + lastApplied + ",\"hold\":" + hold + "}", headers);
            if (r.status() == 200) {
                take(r.json());
            }
            return r;
        }

        String call() {
            PageClient.Reply r = client.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Ping\",\"method\":\"ping\",\"args\":[]}],\"ack\":"
                    + lastApplied + "}", headers);
            assertEquals(200, r.status(), r.body());
            take(r.json());
            return r.reply(0).get("result").getAsString();
        }

        void awaitApplied(int n) {
            Wait.until(n + " updates applied", 20, () -> {
                PageClient.Reply r = poll(false);
                assertEquals(200, r.status(), r.body());
                return applied.size() >= n;
            });
        }
    }

    @Test
    void aPageServedByBothNodesInTurnAppliesEveryPushOnceInOrder() {
        start(b -> b);
        Page page = new Page(PageClient.roundRobin(a.port(), b.port()), "/room/");
        Page other = new Page(PageClient.roundRobin(b.port(), a.port()), "/lobby/");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            TestServer from = i % 2 == 0 ? a : b;
            String text = "u" + i;
            switch (i % 3) {
                case 0 -> from.pagewire().pages().all().call("ui.show", text);
                case 1 -> from.pagewire().pages().forPath("/room/").call("ui.show", text);
                default -> from.pagewire().pages().byId(page.id).call("ui.show", text);
            }
            expected.add(text);
            if (i % 4 == 0) {
                assertEquals("pong", page.call(), "a call with piggyback, on either node");
            } else {
                assertEquals(200, page.poll(false).status());
            }
        }
        page.awaitApplied(30);
        assertEquals(expected, page.applied, "every push once, in push order, across both nodes");
        other.awaitApplied(10);
        assertEquals(expected.stream().filter(t -> Integer.parseInt(t.substring(1)) % 3 == 0).toList(), other.applied,
                "a page elsewhere gets only the broadcasts");
    }

    @Test
    void aHeldPollOnOneNodeIsAnsweredByAPushFromTheOther() {
        start(b -> b.cometHold(Duration.ofSeconds(10)));
        Page page = new Page(PageClient.roundRobin(a.port(), b.port()), "/room/");
        assertEquals("pong", page.call()); // lands on a; the next request on b
        Thread pusher = new Thread(() -> {
            Wait.until("the poll is held", 10, () -> a.pagewire().heldRequests() + b.pagewire().heldRequests() == 1);
            a.pagewire().pages().all().call("ui.show", "pushed on a");
        });
        pusher.start();
        PageClient.Reply r = page.poll(true);
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("pushed on a"), page.applied);
        long seq = page.lastApplied;
        Wait.until("a reply that says how far the page is complete", 10, () -> {
            JsonObject next = page.poll(false).json();
            return next.has("upTo") && next.get("upTo").getAsLong() >= seq;
        });
    }

    @Test
    void anAcknowledgedPrivateUpdateIsNeverDeliveredAgainByTheOtherNode() {
        start(b -> b);
        Page page = new Page(PageClient.roundRobin(a.port(), b.port()), "/room/");
        a.pagewire().pages().byId(page.id).call("ui.show", "one");
        page.awaitApplied(1);
        PageClient.Reply ack = page.client.post("/ack", "{\"ack\":" + page.lastApplied + "}", page.headers);
        assertEquals(204, ack.status());
        for (int i = 0; i < 4; i++) {
            PageClient.Reply r = page.client.post("/poll", "{\"ack\":" + page.lastApplied + ",\"hold\":false}", page.headers);
            assertEquals(0, r.json().getAsJsonArray("updates").size(), "nothing again, on either node: " + r.body());
        }
        b.pagewire().pages().byId(page.id).call("ui.show", "two");
        page.awaitApplied(2);
        assertEquals(List.of("one", "two"), page.applied);
    }

    @Test
    void aPageUnloadedOnOneNodeIsUnknownOnTheOther() {
        start(b -> b);
        Page page = new Page(PageClient.roundRobin(a.port(), b.port()), "/room/");
        page.call();
        page.call();
        PageClient.Reply r = page.client.post("/unload", "{\"page\":\"" + page.id + "\",\"token\":\""
                + page.headers.get("Pagewire-Token") + "\"}", Map.of());
        assertEquals(204, r.status());
        Wait.until("the page is gone on both nodes", 10, () -> {
            PageClient.Reply p1 = page.poll(false);
            PageClient.Reply p2 = page.poll(false);
            return p1.status() == 410 && p2.status() == 410 && "PAGE_UNKNOWN".equals(p2.errorCode());
        });
    }

    @Test
    void theTokenIsWorthNothingWithoutItsBrowsersCookie() {
        start(b -> b);
        Page page = new Page(PageClient.roundRobin(a.port(), b.port()), "/room/");
        page.call();
        HttpRequest.Builder bare = HttpRequest.newBuilder(URI.create("http://localhost:" + b.port() + "/pagewire/poll"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"ack\":0}"));
        page.headers.forEach(bare::header);
        PageClient.Reply noCookie = new PageClient(b.port()).send(bare.build());
        assertEquals(403, noCookie.status());
        assertEquals("NO_BROWSER_COOKIE", noCookie.errorCode());

        PageClient otherBrowser = new PageClient(b.port());
        otherBrowser.handshake("/room/"); // gets its own signed cookie
        PageClient.Reply stolen = otherBrowser.post("/poll", "{\"ack\":0}", page.headers);
        assertEquals(403, stolen.status());
        assertEquals("BAD_TOKEN", stolen.errorCode());
    }

    @Test
    void theCapsOnPagesCountEveryNode() {
        start(b -> b.maxPages(3).maxPagesPerHttpSession(2));
        PageClient browser = PageClient.roundRobin(a.port(), b.port());
        Page first = new Page(browser, "/one/");   // on a
        first.call();
        new Page(browser, "/two/");                 // on a again (the call went to b)
        new Page(browser, "/three/");               // on b: past the browser's 2
        // The end reaches every node through the feed (a few milliseconds): the page's requests then get 410.
        Wait.until("the browser's least recently seen page ended on node A", 10,
                () -> postTo(first, a, "/poll", "{\"ack\":0}").status() == 410);
        Wait.until("and on node B", 10, () -> postTo(first, b, "/poll", "{\"ack\":0}").status() == 410);

        new Page(PageClient.roundRobin(b.port(), a.port()), "/four/");
        PageClient.Reply full = new PageClient(a.port()).post("/handshake", "{\"path\":\"/five/\"}", Map.of());
        assertEquals(503, full.status(), full.body());
        assertEquals("TOO_MANY_PAGES", full.errorCode());
    }

    /**
     * Expiry counts every node: a page used only through node B lives on although node A, which
     * made it, stops seeing it (A drops its copy quietly), and a page nobody hears from ends once,
     * with {@code destroyed}, and is unknown on both nodes.
     */
    @Test
    void aPageLivesWhileAnyNodeHearsFromItAndEndsOnceWhenNoneDoes() throws Exception {
        start(b -> b.pageIdleTimeout(Duration.ofSeconds(2)).firstContactTimeout(Duration.ofSeconds(2)));
        List<String> destroyed = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (TestServer node : List.of(a, b)) {
            node.pagewire().pages().addListener(new dev.pagewire.PageListener() {
                @Override
                public void destroyed(dev.pagewire.Page page) {
                    destroyed.add(page.id());
                }
            });
        }
        Page used = new Page(new PageClient(a.port()), "/room/");
        Page forgotten = new Page(new PageClient(a.port()), "/room/");
        assertEquals("pong", used.call());
        assertEquals("pong", forgotten.call());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread user = new Thread(() -> {
            while (!stop.get()) { // the page keeps calling, through node B only
                assertEquals(200, postTo(used, b, "/call",
                        "{\"calls\":[{\"id\":1,\"proxy\":\"Ping\",\"method\":\"ping\",\"args\":[]}]}").status());
            }
        });
        user.start();
        try {
            Wait.until("the forgotten page ended, on the node that held it", 20, () -> destroyed.contains(forgotten.id));
            Wait.until("node A dropped its quiet copy of the page used on B", 20, () -> a.pagewire().livePages() == 0);
            assertTrue(user.isAlive(), "the page used on B was served all along");
            assertTrue(!destroyed.contains(used.id), "a page heard from on another node is not ended");
        } finally {
            stop.set(true);
            user.join();
        }
        assertEquals(1, destroyed.stream().filter(forgotten.id::equals).count(), "destroyed once");
        assertEquals(410, postTo(forgotten, a, "/poll", "{\"ack\":0}").status(), "unknown on node A");
        assertEquals(410, postTo(forgotten, b, "/poll", "{\"ack\":0}").status(), "and on node B");
        assertEquals(200, postTo(used, a, "/poll", "{\"ack\":0}").status(), "node A loads the page used on B again");
    }

    /**
     * An SSE stream on node A whose page sends its acknowledgements to node B (another
     * connection, another node): A never hears them, yet the stream carries every update without
     * being cut, far past the page's queue bound.
     */
    @Test
    void anSseStreamWhoseAcksGoToTheOtherNodeKeepsFlowing() throws Exception {
        start(b -> b.maxQueuedUpdates(5));
        Page page = new Page(new PageClient(a.port()), "/room/");
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpRequest open = HttpRequest.newBuilder(URI.create("http://localhost:" + a.port() + "/pagewire/stream?page="
                + page.id + "&token=" + page.headers.get("Pagewire-Token") + "&ack=0"))
                .header("Accept", "text/event-stream").header("Cookie", page.client.cookieHeader()).GET().build();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Thread reader = new Thread(() -> {
            try {
                http.send(open, java.net.http.HttpResponse.BodyHandlers.ofLines()).body()
                        .filter(l -> l.startsWith("data: {\"seq\"")).forEach(events::add);
            } catch (Exception e) {
                events.add("failed: " + e);
            }
            events.add("ended");
        });
        reader.setDaemon(true);
        reader.start();
        for (int n = 1; n <= 20; n++) {
            b.pagewire().pages().byId(page.id).call("ui.show", "u" + n);
            String event = events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(event != null && event.contains("\"u" + n + "\""), "update " + n + " on the same stream: " + event);
            long seq = JsonParser.parseString(event.substring(6)).getAsJsonObject().get("seq").getAsLong();
            assertEquals(204, postTo(page, b, "/ack", "{\"ack\":" + seq + "}").status());
        }
        assertTrue(reader.isAlive(), "the stream was never cut");
    }

    /**
     * The HTTP session a page's handshake came with ends (logout): every page of that browser
     * (its cookie) ends, on every node; another browser's pages live on.
     */
    @Test
    void anHttpSessionThatEndsEndsItsBrowsersPagesOnEveryNode() {
        start(b -> b);
        PageClient browser = new PageClient(a.port());
        Page first = new Page(browser, "/room/");
        assertEquals(200, browser.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Login\",\"method\":\"login\",\"args\":[]}]}",
                first.headers).status());
        Page second = new Page(browser, "/room/"); // its handshake comes with the HTTP session: bound to it
        Page onB = new Page(PageClient.roundRobin(b.port()), "/room/"); // another browser: untouched
        assertEquals(200, postTo(second, b, "/poll", "{\"ack\":0}").status(), "node B serves the page too");
        assertEquals(200, browser.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Login\",\"method\":\"logout\",\"args\":[]}]}",
                second.headers).status());
        for (Page ended : List.of(first, second)) {
            Wait.until("the browser's page ended on node A", 10, () -> postTo(ended, a, "/poll", "{\"ack\":0}").status() == 410);
            Wait.until("and on node B", 10, () -> postTo(ended, b, "/poll", "{\"ack\":0}").status() == 410);
        }
        assertEquals(200, onB.poll(false).status(), "another browser's page lives on");
    }

    /** A request of {@code page} (its cookie, id and token) sent straight to {@code node}. */
    private static PageClient.Reply postTo(Page page, TestServer node, String path, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port() + "/pagewire" + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        page.headers.forEach(r::header);
        return page.client.send(r.build()); // the client's cookie jar adds the browser cookie
    }
}
