package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Presence (pages joining and leaving topics, to the end of the page) and latest-value conflation, over real HTTP. */
class TopicPresenceTest {
    /** Names the calling page. */
    public static class Names {
        public void call(Page page, String name) {
            page.setAttribute("name", name);
        }
    }

    private final List<String> presence = new CopyOnWriteArrayList<>();

    private Pagewire.Builder builder() {
        return Pagewire.builder().expose("Names", new Names())
                .topic(TopicRule.on("/room/*").subscribe(TopicAccess.anyone()));
    }

    private void listen(TestServer server) {
        server.pagewire().topics().addListener(new TopicListener() {
            @Override
            public void subscribed(Page page, String pattern) {
                presence.add("+" + page.getAttribute("name") + " " + pattern);
            }

            @Override
            public void unsubscribed(Page page, String pattern) {
                presence.add("-" + page.getAttribute("name") + " " + pattern);
            }
        });
    }

    private static PageClient named(TestServer server, String name) {
        PageClient page = server.page("/room/");
        assertNull(page.call("Names", "call", name).get("error"));
        return page;
    }

    private static JsonObject topicCall(PageClient page, String method, String pattern) {
        return page.call("PagewireTopics", method, pattern);
    }

    @Test
    void pagesJoinAndLeaveByTheirCallsAndByUnloading() {
        try (TestServer server = TestServer.start(builder())) {
            listen(server);
            PageClient ann = named(server, "ann");
            PageClient bob = named(server, "bob");
            topicCall(ann, "subscribe", "/room/blue");
            topicCall(ann, "subscribe", "/room/blue"); // once is enough
            topicCall(bob, "subscribe", "/room/*");
            Topic<String> blue = server.pagewire().topics().topic("/room/blue");
            List<Object> names = new ArrayList<>();
            blue.subscribers().forEach(p -> names.add(p.getAttribute("name")));
            assertEquals(List.of("ann", "bob"), names.stream().sorted().toList(), "members with their attributes");

            topicCall(ann, "unsubscribe", "/room/blue");
            topicCall(ann, "unsubscribe", "/room/blue"); // not subscribed any more: no event
            assertEquals(204, bob.post("/unload", "{\"page\":\"" + bob.pageId() + "\",\"token\":\"" + bob.token() + "\"}",
                    Map.of("Content-Type", "text/plain")).status());
            Wait.until("bob's page ends", 10, () -> presence.contains("-bob /room/*"));
            assertEquals(List.of("+ann /room/blue", "+bob /room/*", "-ann /room/blue", "-bob /room/*"), presence);
            assertEquals(List.of(), blue.subscribers());
        }
    }

    @Test
    void aPageThatExpiresLeavesItsTopics() {
        try (TestServer server = TestServer.start(builder().pageIdleTimeout(Duration.ofMillis(400)))) {
            listen(server);
            PageClient ann = named(server, "ann");
            topicCall(ann, "subscribe", "/room/red");
            Wait.until("ann's page expires", 10, () -> presence.contains("-ann /room/red"));
            assertEquals(List.of(), server.pagewire().topics().topic("/room/red").subscribers());
        }
    }

    @Test
    void aStalledPageGetsTheLatestValuePerKeyAndCountsWhatItSkipped() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient slow = named(server, "slow");
            topicCall(slow, "subscribe", "/room/*");
            Topic<Integer> prices = server.pagewire().topics().topic("/room/prices");
            prices.publishLatest("ACME", 1);
            JsonArray first = poll(slow, 0);
            assertEquals(1, first.size());
            long seen = first.get(0).getAsJsonObject().get("seq").getAsLong();
            prices.publish(-1); // not conflated: it stays
            for (int i = 2; i <= 5000; i++) {
                prices.publishLatest(i % 2 == 0 ? "ACME" : "IBM", i);
            }
            JsonArray got = poll(slow, seen);
            assertEquals(3, got.size(), "one plain value and one per key: " + got);
            assertEquals(-1, got.get(0).getAsJsonObject().get("data").getAsInt());
            JsonObject ibm = got.get(1).getAsJsonObject();
            JsonObject acme = got.get(2).getAsJsonObject();
            assertEquals("IBM", ibm.get("key").getAsString());
            assertEquals(4999, ibm.get("data").getAsInt());
            assertEquals("ACME", acme.get("key").getAsString());
            assertEquals(5000, acme.get("data").getAsInt());
            assertEquals(2501, acme.get("version").getAsLong(), "the page had version 1: the engine counts 2499 skipped");
            assertTrue(acme.get("seq").getAsLong() > ibm.get("seq").getAsLong());
        }
    }

    private static JsonArray poll(PageClient page, long ack) {
        PageClient.Reply r = page.post("/poll", "{\"ack\":" + ack + "}", page.pageHeaders());
        assertEquals(200, r.status(), r.body());
        return r.json().getAsJsonArray("updates");
    }
}
