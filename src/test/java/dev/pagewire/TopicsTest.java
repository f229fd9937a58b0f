package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Topics over real HTTP: subscribing by pattern, publishing from server and pages, authorizers, presence, conflation. */
class TopicsTest {
    /** What pages publish on the chat topics. */
    public record Line(String text) {
    }

    /** A remote method that marks the calling page as a member. */
    public static class Login {
        public void join(Page page) {
            page.setAttribute("member", true);
        }
    }

    private final List<String> serviced = new CopyOnWriteArrayList<>();

    private Pagewire.Builder builder() {
        return Pagewire.builder().expose(new Ping()).expose("Login", new Login())
                .topic(TopicRule.on("/stocks/**").subscribe(TopicAccess.anyone()))
                .topic(TopicRule.on("/chat/*")
                        .subscribe(TopicAccess.attribute("member", true))
                        .publish(TopicAccess.attribute("member", true), Line.class))
                .topic(TopicRule.on("/service/echo").service(TopicAccess.anyone(), Line.class,
                        (page, topic, data) -> serviced.add(topic + " " + data.text())))
                .topic(TopicRule.on("/quiet/*").subscribe((page, request, topic) -> !topic.endsWith("secret")));
    }

    private static JsonObject subscribe(PageClient page, String pattern) {
        return page.call("PagewireTopics", "subscribe", pattern);
    }

    private static JsonArray poll(PageClient page, long ack) {
        PageClient.Reply r = page.post("/poll", "{\"ack\":" + ack + "}", page.pageHeaders());
        assertEquals(200, r.status(), r.body());
        return r.json().getAsJsonArray("updates");
    }

    private static String code(JsonObject reply) {
        return reply.getAsJsonObject("error").get("code").getAsString();
    }

    @Test
    void aPublishReachesEachSubscribedPageOnceByItsPatterns() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient wide = server.page("/a/");
            PageClient narrow = server.page("/a/");
            PageClient other = server.page("/a/");
            assertNull(subscribe(wide, "/stocks/*").get("error"));
            assertNull(subscribe(wide, "/stocks/ACME").get("error")); // two patterns, one delivery
            assertNull(subscribe(narrow, "/stocks/ACME/**").get("error"));
            assertNull(subscribe(other, "/stocks/OTHER").get("error"));

            Topic<Map<String, Integer>> acme = server.pagewire().topics().topic("/stocks/ACME");
            acme.publish(Map.of("price", 12));

            JsonArray got = poll(wide, 0);
            assertEquals(1, got.size(), got.toString());
            JsonObject update = got.get(0).getAsJsonObject();
            assertEquals("/stocks/ACME", update.get("topic").getAsString());
            assertEquals(12, update.getAsJsonObject("data").get("price").getAsInt());
            assertEquals(0, poll(narrow, 0).size(), "/stocks/ACME/** means deeper topics only");
            assertEquals(0, poll(other, 0).size());
            assertEquals(List.of(wide.pageId()), acme.subscribers().stream().map(Page::id).toList());
        }
    }

    @Test
    void unconvertibleDataIsRefusedAtThePublish() {
        try (TestServer server = TestServer.start(builder())) {
            Topic<Object> t = server.pagewire().topics().topic("/stocks/ACME");
            assertThrows(IllegalArgumentException.class, () -> t.publish(new Object()));
            assertThrows(IllegalArgumentException.class, () -> server.pagewire().topics().topic("/stocks/*"));
        }
    }

    @Test
    void rulesRefuseWhatTheyDoNotAllowWithForbidden() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = server.page("/a/");
            assertEquals("FORBIDDEN", code(subscribe(page, "/nowhere/x")), "no rule covers it");
            assertEquals("FORBIDDEN", code(subscribe(page, "/**")), "no rule covers all of it");
            assertEquals("FORBIDDEN", code(subscribe(page, "/chat/lobby")), "not a member yet");
            assertEquals("FORBIDDEN", code(subscribe(page, "/quiet/secret")), "the predicate says no");
            assertNull(subscribe(page, "/quiet/open").get("error"));
            assertEquals("FORBIDDEN", code(page.call("PagewireTopics", "publish", "/stocks/ACME", "{\"text\":\"x\"}")),
                    "the rule lets nobody publish");
            assertEquals("FORBIDDEN", code(page.call("PagewireTopics", "publish", "/chat/lobby", "{\"text\":\"x\"}")));
            assertEquals("FORBIDDEN", code(subscribe(page, "/service/echo")), "service topics reach the server only");
            JsonObject bad = subscribe(page, "/stocks/<x>");
            assertEquals("BAD_ARGUMENTS", code(bad));
            assertTrue(bad.getAsJsonObject("error").get("message").getAsString().contains("not a topic"), bad.toString());
        }
    }

    @Test
    void aPagePublishesToTheOthersWhereTheRuleAllows() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient ann = server.page("/chat/");
            PageClient bob = server.page("/chat/");
            ann.call("Login", "join");
            bob.call("Login", "join");
            assertNull(subscribe(bob, "/chat/*").get("error"));

            assertNull(ann.call("PagewireTopics", "publish", "/chat/lobby", "{\"text\":\"hi\"}").get("error"));
            JsonArray got = poll(bob, 0);
            assertEquals(1, got.size());
            assertEquals("hi", got.get(0).getAsJsonObject().getAsJsonObject("data").get("text").getAsString());

            JsonObject bad = ann.call("PagewireTopics", "publish", "/chat/lobby", "{\"words\":1}");
            assertEquals("BAD_ARGUMENTS", code(bad), "the data must convert to the rule's type");
            assertEquals(0, poll(bob, 1).size());
        }
    }

    @Test
    void aServiceTopicReachesItsHandlerAndNoPage() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient page = server.page("/a/");
            assertNull(page.call("PagewireTopics", "publish", "/service/echo", "{\"text\":\"order 1\"}").get("error"));
            assertEquals(List.of("/service/echo order 1"), serviced);
        }
    }

    @Test
    void callFiltersRunAroundTopicRequests() {
        CallFilter noTopics = (call, next) -> {
            if (call.proxyName().equals("PagewireTopics")) {
                throw new SecurityException("topics are closed");
            }
            return next.proceed();
        };
        try (TestServer server = TestServer.start(builder().filter(noTopics).clientVisible(SecurityException.class))) {
            PageClient page = server.page("/a/");
            assertEquals("EXCEPTION", code(subscribe(page, "/stocks/ACME")));
            assertEquals(List.of(), server.pagewire().topics().topic("/stocks/ACME").subscribers());
        }
    }
}
