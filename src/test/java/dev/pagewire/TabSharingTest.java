package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.SocketClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tabs of one browser sharing one WebSocket (docs/PROTOCOL.md, Tabs sharing one connection),
 * against embedded Tomcat and the JDK's WebSocket client: a second page of the same HTTP session
 * attaches to the first page's socket and gets its own updates, tagged with its id, with its own
 * numbering and acknowledgements; a new leader's socket resumes each page from its own cursor;
 * pages of another browser, wrong tokens and a server with sharing off are refused without
 * closing the socket.
 */
class TabSharingTest {
    private static Pagewire.Builder builder() {
        return Pagewire.builder().expose(new Ping()).deliveryMode(DeliveryMode.WEBSOCKET);
    }

    /** One page of a browser: its id and token (a browser's pages share one PageClient's cookies). */
    private record Tab(String id, String token) {
        static Tab open(PageClient browser, String path) {
            browser.handshake(path);
            return new Tab(browser.pageId(), browser.token());
        }

        String hello(long ack) {
            return "{\"type\":\"hello\",\"page\":\"" + id + "\",\"token\":\"" + token + "\",\"ack\":" + ack + "}";
        }

        String attach(long ack) {
            return "{\"type\":\"attach\",\"page\":\"" + id + "\",\"token\":\"" + token + "\",\"ack\":" + ack + "}";
        }
    }

    @Test
    void theLeadersSocketCarriesEachPageOfItsBrowserWithItsOwnNumbers() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient browser = new PageClient(server.port());
            Tab leader = Tab.open(browser, "/room/");
            Tab follower = Tab.open(browser, "/room/");
            assertTrue(browser.handshake("/room/").getAsJsonObject("delivery").get("shareTabs").getAsBoolean());
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(leader.hello(0));
                assertEquals("open", socket.next().get("type").getAsString());
                socket.send(follower.attach(0));
                JsonObject attached = socket.next("attached");
                assertEquals(follower.id(), attached.get("page").getAsString());
                LivePage followerPage = server.pagewire().pageRegistry.find(follower.id());
                assertEquals(Optional.of(leader.id()), followerPage.carriedBy());
                assertEquals(DeliveryMode.WEBSOCKET, followerPage.deliveryMode());

                for (int i = 1; i <= 50; i++) {
                    server.pagewire().pages().byId(leader.id()).call("ui.add", i);
                    server.pagewire().pages().byId(follower.id()).call("ui.add", i);
                }
                Map<String, Long> applied = readUntil(socket, Map.of(leader.id(), 50L, follower.id(), 50L), leader.id());
                assertEquals(50L, applied.get(follower.id()), "the follower's updates, tagged with its id, once each");

                socket.send("{\"type\":\"ack\",\"page\":\"" + follower.id() + "\",\"ack\":50}");
                Wait.until("the follower's ack", 10, () -> followerPage.queue().depth() == 0);
                assertEquals(50, server.pagewire().pageRegistry.find(leader.id()).queue().depth(),
                        "an attached page's ack is its own");
            }
            LivePage followerPage = server.pagewire().pageRegistry.find(follower.id());
            Wait.until("the follower no longer carried", 10, () -> followerPage.carriedBy().isEmpty());
        }
    }

    @Test
    void aNewLeaderResumesEveryPageFromItsOwnCursor() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient browser = new PageClient(server.port());
            Tab first = Tab.open(browser, "/room/");
            Tab second = Tab.open(browser, "/room/");
            for (int i = 1; i <= 30; i++) {
                server.pagewire().pages().forPath("/room/").call("ui.add", i);
            }
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(first.hello(0));
                socket.send(second.attach(0));
                readUntil(socket, Map.of(first.id(), 30L, second.id(), 30L), first.id());
                socket.cut(); // the leader tab closed: neither page acknowledged anything
            }
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(second.hello(30)); // the second tab leads now, with what it applied
                socket.send(first.attach(20)); // the first tab had applied 20 when the old leader went
                Map<String, Long> applied = readUntil(socket, Map.of(second.id(), 30L, first.id(), 30L), second.id(),
                        Map.of(second.id(), 30L, first.id(), 20L));
                assertEquals(30L, applied.get(first.id()), "the first page gets 21 to 30 again, nothing twice");
                server.pagewire().pages().forPath("/room/").call("ui.add", 31);
                applied = readUntil(socket, Map.of(second.id(), 31L, first.id(), 31L), second.id(), applied);
                assertEquals(31L, applied.get(second.id()));
            }
        }
    }

    @Test
    void foreignPagesWrongTokensAndRefusedModesAreRefusedAndTheSocketStays() throws Exception {
        try (TestServer server = TestServer.start(builder().deliveryRule("/news/**", DeliveryMode.SSE))) {
            PageClient browser = new PageClient(server.port());
            Tab news = Tab.open(browser, "/news/");
            Tab leader = Tab.open(browser, "/room/");
            PageClient otherBrowser = new PageClient(server.port());
            Tab foreign = Tab.open(otherBrowser, "/room/");
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(leader.hello(0));
                assertEquals("open", socket.next().get("type").getAsString());

                socket.send(foreign.attach(0));
                assertDetached(socket.next("detached"), foreign.id(), 410, "PAGE_UNKNOWN");
                socket.send(new Tab(leader.id(), "wrong").attach(0));
                assertDetached(socket.next("detached"), leader.id(), 403, "BAD_TOKEN");
                socket.send(news.attach(0));
                assertDetached(socket.next("detached"), news.id(), 403, "MODE_NOT_ALLOWED");
                assertTrue(server.pagewire().pageRegistry.find(foreign.id()).carriedBy().isEmpty());
                assertTrue(server.pagewire().pageRegistry.find(news.id()).carriedBy().isEmpty());

                server.pagewire().pages().byId(leader.id()).call("ui.add", 1);
                JsonObject updates = socket.next("updates");
                assertFalse(updates.has("page"), "the socket's own page's frames carry no page");
            }
        }
    }

    @Test
    void anEndedPageIsDetachedAndTheRestGoOn() throws Exception {
        try (TestServer server = TestServer.start(builder())) {
            PageClient browser = new PageClient(server.port());
            Tab leader = Tab.open(browser, "/room/");
            Tab follower = Tab.open(browser, "/room/");
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(leader.hello(0));
                socket.send(follower.attach(0));
                socket.next("attached");
                server.pagewire().pageRegistry.find(follower.id()).invalidate();
                JsonObject detached = socket.next("detached");
                assertEquals(follower.id(), detached.get("page").getAsString());
                assertEquals(4000, detached.get("code").getAsInt());
                server.pagewire().pages().byId(leader.id()).call("ui.add", 1);
                assertEquals(1, socket.next("updates").getAsJsonArray("updates").size());
            }
        }
    }

    @Test
    void withSharingOffAttachingIsRefused() throws Exception {
        try (TestServer server = TestServer.start(builder().shareConnections(false))) {
            PageClient browser = new PageClient(server.port());
            Tab leader = Tab.open(browser, "/room/");
            Tab follower = Tab.open(browser, "/room/");
            assertFalse(browser.handshake("/room/").getAsJsonObject("delivery").get("shareTabs").getAsBoolean());
            try (SocketClient socket = SocketClient.open(server.port(), browser.cookieHeader(), null)) {
                socket.send(leader.hello(0));
                socket.send(follower.attach(0));
                assertDetached(socket.next("detached"), follower.id(), 403, "SHARING_OFF");
            }
        }
    }

    private static void assertDetached(JsonObject frame, String page, int status, String code) {
        assertEquals(page, frame.get("page").getAsString(), frame.toString());
        assertEquals(status, frame.get("status").getAsInt(), frame.toString());
        assertEquals(code, frame.getAsJsonObject("error").get("code").getAsString());
    }

    private static Map<String, Long> readUntil(SocketClient socket, Map<String, Long> until, String own)
            throws InterruptedException {
        return readUntil(socket, until, own, Map.of());
    }

    /**
     * Reads update frames as the engines of the tabs would, each page from its cursor in {@code
     * from}: a frame without {@code page} is {@code own}'s, strictly in order and each number once
     * (the first argument of update n is n), until every page reached its number in {@code until}.
     */
    private static Map<String, Long> readUntil(SocketClient socket, Map<String, Long> until, String own,
                                               Map<String, Long> from) throws InterruptedException {
        Map<String, Long> applied = new HashMap<>(from);
        while (until.entrySet().stream().anyMatch(e -> applied.getOrDefault(e.getKey(), 0L) < e.getValue())) {
            JsonObject frame = socket.next("updates");
            String page = frame.has("page") ? frame.get("page").getAsString() : own;
            for (JsonElement e : frame.getAsJsonArray("updates")) {
                long seq = e.getAsJsonObject().get("seq").getAsLong();
                long before = applied.getOrDefault(page, 0L);
                assertEquals(before + 1, seq, "updates of " + page + " in order, each once: " + frame);
                assertEquals(seq, e.getAsJsonObject().getAsJsonArray("args").get(0).getAsLong());
                applied.put(page, seq);
            }
        }
        return applied;
    }
}
