package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.UpdateQueue.Entry;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The push API against a real server: who receives what, and how sessions begin and end. */
class PushIntegrationTest {
    record Message(String from, String text) {
    }

    @PageInterface("chatUi")
    public interface ChatUi {
        void addMessage(Message message);

        void memberJoined(String name, int count);
    }

    public interface Ticker {
        void price(String symbol, double value);
    }

    public interface NotVoid {
        String ask();
    }

    public interface TakesThread {
        void run(Thread t);
    }

    @RemoteProxy(name = "Room")
    public static class Room {
        @RemoteMethod
        public void join(String name, Page page, Pages pages) {
            page.setAttribute("name", name);
            pages.current().call("room.welcome", name);
        }

        @RemoteMethod
        public void logout(HttpSession session) {
            session.invalidate();
        }
    }

    private static Pagewire pagewire;
    private static Served server;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        pagewire = Pagewire.builder().expose(Room.class).allowScriptUpdates(true)
                .maxPagesPerHttpSession(3).maxQueuedUpdates(5).build();
        pagewire.pages().addListener(new PageListener() {
            @Override
            public void created(Page s) {
                events.add("created " + s.path());
            }

            @Override
            public void destroyed(Page s) {
                events.add("destroyed " + s.path());
            }

            @Override
            public void resync(Page s) {
                events.add("resync " + s.path());
            }
        });
        server = Served.start(pagewire);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static PageClient page(String path) {
        PageClient client = new PageClient(server.port());
        client.handshake(path);
        return client;
    }

    /** The updates the page would receive now, without acknowledging them. */
    private static JsonArray updates(PageClient client) {
        return client.post("/poll", "{\"ack\":0}", client.pageHeaders()).json().getAsJsonArray("updates");
    }

    private static String calls(PageClient client) {
        StringBuilder s = new StringBuilder();
        for (var e : updates(client)) {
            JsonObject u = e.getAsJsonObject();
            s.append(u.has("call") ? u.get("call").getAsString() + u.get("args") : u.toString()).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void forPageNormalisesPathsAndReachesOnlyThatPage() {
        PageClient a = page("/news/index.html");
        PageClient b = page("/news/");
        PageClient rewritten = page("/news/;jsessionid=ABC123");
        PageClient other = page("/sport/");
        pagewire.pages().forPath("//news/").call("news.headline", "rain");
        assertEquals("news.headline[\"rain\"]", calls(a));
        assertEquals("news.headline[\"rain\"]", calls(b));
        assertEquals("news.headline[\"rain\"]", calls(rewritten), "URL rewriting does not make another page");
        assertEquals("", calls(other));
    }

    @Test
    void attributeFiltersHttpSessionsAndIdsPickTheirPages() {
        PageClient ann = page("/chat/");
        ann.call("Room", "join", "ann");
        PageClient bob = page("/chat/");
        bob.call("Room", "join", "bob");
        assertEquals("room.welcome[\"ann\"]", calls(ann), "Pages.current() inside a call");

        pagewire.pages().forPath("/chat/").matching(s -> "bob".equals(s.getAttribute("name")))
                .call("chat.private", "psst");
        assertTrue(calls(bob).endsWith("chat.private[\"psst\"]"));
        assertEquals("room.welcome[\"ann\"]", calls(ann));

        pagewire.pages().byId(ann.pageId()).call("chat.ping");
        assertEquals("room.welcome[\"ann\"] chat.ping[]", calls(ann));
        pagewire.pages().byId("gone").call("chat.ping"); // nobody: no error
        assertThrows(IllegalStateException.class, () -> pagewire.pages().current());
    }

    @Test
    void typedProxyTurnsMethodCallsIntoFunctionCalls() {
        PageClient page = page("/typed/");
        PageGroup group = pagewire.pages().byId(page.pageId());
        group.proxy(ChatUi.class).addMessage(new Message("ann", "<b>hi</b>"));
        group.proxy(ChatUi.class).memberJoined("bob", 2);
        group.proxy(Ticker.class).price("ACME", 1.5);
        assertEquals("chatUi.addMessage[{\"from\":\"ann\",\"text\":\"<b>hi</b>\"}] "
                + "chatUi.memberJoined[\"bob\",2] ticker.price[\"ACME\",1.5]", calls(page));
        String notVoid = assertThrows(IllegalArgumentException.class, () -> group.proxy(NotVoid.class)).getMessage();
        assertTrue(notVoid.contains("NotVoid.ask must return void"), notVoid);
        String thread = assertThrows(IllegalArgumentException.class, () -> group.proxy(TakesThread.class)).getMessage();
        assertTrue(thread.contains("TakesThread.run") && thread.contains("java.lang.Thread"), thread);
    }

    @Test
    void badPushesFailAtThePushWithAClearError() {
        PageGroup all = pagewire.pages().all();
        assertThrows(IllegalArgumentException.class, () -> all.call("alert('x')"));
        assertThrows(IllegalArgumentException.class, () -> all.call("a..b"));
        String message = assertThrows(IllegalArgumentException.class,
                () -> all.call("ui.show", new Object[] {Thread.currentThread()})).getMessage();
        assertTrue(message.contains("argument 0 of ui.show") && message.contains("not convertible"), message);
    }

    @Test
    void untypedPushArgumentsFollowTheAllowListOfResults() {
        PageGroup all = pagewire.pages().all();
        assertPushRefused(all, new Object(), "argument 0 of ui.show (java.lang.Object)", "type java.lang.Object");
        assertPushRefused(all, new java.util.Date(0), "(java.util.Date)", "type java.util.Date",
                "use java.time.Instant instead");
        assertPushRefused(all, new StringBuilder("x"), "(java.lang.StringBuilder)", "type java.lang.StringBuilder");
        assertPushRefused(all, Map.of(1, "one"), "map key 1 is a java.lang.Integer", "String or an enum");
        assertPushRefused(all, List.of("a", new Object()), "type java.lang.Object", "(at [1])");
        assertPushRefused(all, Map.of("k", List.of(new java.util.Date(0))), "type java.util.Date", "(at [\"k\"][0])");
        assertPushRefused(all, new Object[] {"a", Thread.currentThread()}, "java.lang.Thread", "(at [1])");
        List<Object> loop = new java.util.ArrayList<>();
        loop.add(loop);
        assertPushRefused(all, loop, "contains itself", "(at [0])");
        String script = assertThrows(IllegalArgumentException.class, () -> all.script(
                new ScriptBuffer().appendData(new java.util.Date(0)))).getMessage();
        assertTrue(script.contains("script data (java.util.Date)"), script);
    }

    @Test
    void untypedPushesOfAllowedValuesArriveAsTheirJson() {
        PageClient page = page("/allowed/");
        PageGroup group = pagewire.pages().byId(page.pageId());
        enum Level { LOW }
        group.call("ui.show", List.of(new Message("ann", "hi")), Map.of("LOW", List.of(1, 2)), Level.LOW,
                java.util.Optional.of("x"), java.time.ZoneId.of("Europe/Paris"), new int[] {1}, new Object[] {"a", 2},
                new java.util.EnumMap<>(Map.of(Level.LOW, true)));
        assertEquals("ui.show[[{\"from\":\"ann\",\"text\":\"hi\"}],{\"LOW\":[1,2]},\"LOW\",\"x\","
                + "\"Europe/Paris\",[1],[\"a\",2],{\"LOW\":true}]", calls(page));
    }

    private static void assertPushRefused(PageGroup group, Object argument, String... expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> group.call("ui.show", "ok", argument))
                .getMessage().replace("argument 1", "argument 0");
        for (String part : expected) {
            assertTrue(message.contains(part), message);
        }
    }

    @Test
    void scriptDataIsEscapedSoItCannotBreakOut() {
        PageClient page = page("/script/");
        pagewire.pages().byId(page.pageId()).script(new ScriptBuffer()
                .appendScript("show(").appendData("</script><img src=x onerror=alert(1)>'\"").appendScript(");"));
        String script = updates(page).get(0).getAsJsonObject().get("script").getAsString();
        assertEquals("show(\"\\u003c/script\\u003e\\u003cimg src\\u003dx onerror\\u003dalert(1)\\u003e\\u0027\\\"\");", script);
    }

    @Test
    void scriptUpdatesAreOffUnlessEnabled() {
        try (Pagewire plain = Pagewire.builder().expose(Room.class).build()) {
            String message = assertThrows(IllegalStateException.class,
                    () -> plain.pages().all().script(new ScriptBuffer().appendScript("x()"))).getMessage();
            assertTrue(message.contains("allowScriptUpdates"), message);
        }
    }

    @Test
    void aPushToManyPagesIsEncodedOnce() {
        PageClient a = page("/once/");
        PageClient b = page("/once/");
        pagewire.pages().forPath("/once/").call("x.y", new Message("ann", "hello"));
        Entry first = pagewire.pageRegistry.find(a.pageId()).queue().after(0).get(0);
        Entry second = pagewire.pageRegistry.find(b.pageId()).queue().after(0).get(0);
        assertSame(first.fragment(), second.fragment(), "one encoding shared by every page");
    }

    @Test
    void overflowTellsThePageAndTheApplicationToResync() {
        PageClient page = page("/flood/");
        PageGroup group = pagewire.pages().byId(page.pageId());
        for (int i = 0; i < 6; i++) {
            group.call("ui.show", i);
        }
        group.call("ui.show", "after");
        assertEquals("{\"seq\":7,\"resync\":true} ui.show[\"after\"]", calls(page));
        assertTrue(events.contains("resync /flood/"));
    }

    @Test
    void listenersHearSessionsStartAndEnd() {
        PageClient page = page("/listen/");
        assertTrue(events.contains("created /listen/"));
        page.post("/unload", "{\"page\":\"" + page.pageId() + "\",\"token\":\"" + page.token() + "\"}",
                Map.of("Content-Type", "text/plain"));
        assertTrue(events.contains("destroyed /listen/"));
        assertEquals(null, pagewire.pageRegistry.find(page.pageId()));
    }

    @Test
    void aBrowserOverItsPageCapLosesItsLeastRecentlySeenPage() {
        PageClient browser = new PageClient(server.port());
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.handshake("/tabs/" + i);
            ids.add(browser.pageId());
        }
        browser.handshake("/tabs/3");
        assertEquals(null, pagewire.pageRegistry.find(ids.get(0)), "the oldest, idle tab was ended");
        assertTrue(pagewire.pageRegistry.find(ids.get(1)) != null && pagewire.pageRegistry.find(browser.pageId()) != null);
        PageClient.Reply r = browser.post("/call", "{\"calls\":[]}",
                Map.of("Pagewire-Page", ids.get(0), "Pagewire-Token", "x"));
        assertEquals(410, r.status());
    }

    @Test
    void theServerRefusesHandshakesPastItsTotalCap() {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(Room.class).maxPages(2))) {
            PageClient client = other.page("/a/");
            client.handshake("/b/");
            PageClient.Reply refused = client.post("/handshake", "{\"path\":\"/c/\"}", Map.of());
            assertEquals(503, refused.status());
            assertEquals("TOO_MANY_PAGES", refused.errorCode());
        }
    }

    @Test
    void endingTheHttpSessionEndsItsPages() {
        PageClient page = page("/logout/");
        String id = page.pageId();
        page.call("Room", "logout");
        assertEquals(null, pagewire.pageRegistry.find(id));
        assertTrue(events.contains("destroyed /logout/"));
    }

    @Test
    void idlePagesEndAfterTheTimeoutButHeldOnesStay() {
        List<String> ended = new CopyOnWriteArrayList<>();
        try (Pagewire quick = Pagewire.builder().expose(Room.class).pageIdleTimeout(Duration.ofMillis(300))
                .cometHold(Duration.ofSeconds(20)).build()) {
            quick.pages().addListener(new PageListener() {
                @Override
                public void destroyed(Page s) {
                    ended.add(s.path());
                }
            });
            Served other = Served.start(quick);
            try {
                PageClient idle = new PageClient(other.port());
                idle.handshake("/idle/");
                PageClient waiting = new PageClient(other.port());
                waiting.handshake("/waiting/");
                var held = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> waiting.post("/poll", "{\"ack\":0,\"hold\":true}", waiting.pageHeaders()));
                Wait.until("the idle page to end", 20, () -> ended.contains("/idle/"));
                LivePage w = quick.pageRegistry.find(waiting.pageId());
                assertTrue(w != null && w.isValid(), "a page with a held poll is in use");
                assertEquals(410, idle.post("/call", "{\"calls\":[]}", idle.pageHeaders()).status());
                quick.pages().byId(waiting.pageId()).call("ui.done");
                assertEquals(1, held.join().json().getAsJsonArray("updates").size());
            } finally {
                other.stop();
            }
        }
    }
}
