package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Publish listeners over real HTTP: they see what a page publishes after the call filters, the
 * rule's authorizer and the conversion, in the order added; they may refuse it ({@code REFUSED})
 * or replace it. And {@link TopicAccess#subscribers()}: only pages subscribed to a topic may
 * publish on it.
 */
class TopicPublishListenersTest {
    /** What pages publish. */
    public record Line(String text) {
    }

    /** What a listener makes of a line. */
    public record Signed(String from, String text) {
    }

    private final List<String> steps = new CopyOnWriteArrayList<>();

    private Pagewire.Builder builder() {
        return Pagewire.builder().expose(new Ping())
                .filter((call, chain) -> {
                    steps.add("filter");
                    return chain.proceed();
                })
                .topic(TopicRule.on("/chat/*").subscribe(TopicAccess.anyone()).publish((page, request, topic) -> {
                    steps.add("authorizer");
                    return !topic.equals("/chat/closed");
                }, Line.class))
                .topic(TopicRule.on("/service/log").service(TopicAccess.anyone(), Line.class,
                        (page, topic, line) -> steps.add("handler " + line.text())))
                .topic(TopicRule.on("/room/*").subscribe(TopicAccess.anyone()).publish(TopicAccess.subscribers(), Line.class))
                .topic(TopicRule.on("/members/*").subscribe(TopicAccess.subscribers()));
    }

    /** Refuses shouting, and makes every other line polite. */
    private TopicListener moderator() {
        return new TopicListener() {
            @Override
            public Object publishing(Page page, String topic, Object data) {
                String text = ((Line) data).text();
                steps.add("moderator " + text);
                if (text.equals(text.toUpperCase()) && !text.equals(text.toLowerCase())) {
                    throw new PublishRefusedException("no shouting");
                }
                return new Line(text + ", please");
            }
        };
    }

    private static JsonObject publish(PageClient page, String topic, String text) {
        return page.call("PagewireTopics", "publish", topic, "{\"text\":\"" + text + "\"}");
    }

    private static JsonArray texts(PageClient page, long ack) {
        PageClient.Reply r = page.post("/poll", "{\"ack\":" + ack + "}", page.pageHeaders());
        JsonArray out = new JsonArray();
        r.json().getAsJsonArray("updates").forEach(u -> out.add(u.getAsJsonObject().getAsJsonObject("data").get("text")));
        return out;
    }

    private static String error(JsonObject reply) {
        JsonObject e = reply.getAsJsonObject("error");
        return e == null ? null : e.get("code").getAsString() + " " + e.get("message").getAsString();
    }

    @Test
    void listenersRunInOrderAfterFiltersAndAuthorizerAndMayReplaceOrRefuse() {
        try (TestServer server = TestServer.start(builder())) {
            server.pagewire().topics().addListener(moderator());
            server.pagewire().topics().addListener(new TopicListener() {
                @Override
                public Object publishing(Page page, String topic, Object data) {
                    steps.add("second sees " + ((Line) data).text());
                    return data;
                }
            });
            PageClient reader = server.page("/chat/");
            PageClient writer = server.page("/chat/");
            assertNull(reader.call("PagewireTopics", "subscribe", "/chat/*").get("error"));
            steps.clear();

            assertNull(error(publish(writer, "/chat/lobby", "hello")));
            assertEquals(List.of("filter", "authorizer", "moderator hello", "second sees hello, please"), steps);
            steps.clear();
            assertEquals("REFUSED publish on /chat/lobby refused: no shouting", error(publish(writer, "/chat/lobby", "HEY")));
            assertEquals(List.of("filter", "authorizer", "moderator HEY"), steps, "a refusal ends the publish there");
            steps.clear();
            assertEquals("FORBIDDEN cannot publish on /chat/closed: not allowed for this page",
                    error(publish(writer, "/chat/closed", "hi")));
            assertEquals(List.of("filter", "authorizer"), steps, "what the authorizer refuses reaches no listener");

            JsonArray got = texts(reader, 0);
            assertEquals(1, got.size(), "the refused publishes reached nobody: " + got);
            assertEquals("hello, please", got.get(0).getAsString());

            steps.clear();
            server.pagewire().topics().topic("/chat/lobby").publish(new Line("FROM THE SERVER"));
            assertEquals(List.of(), steps, "server publishes do not go through the listeners");
        }
    }

    @Test
    void aServiceHandlerGetsWhatTheListenersLetThrough() {
        try (TestServer server = TestServer.start(builder())) {
            server.pagewire().topics().addListener(moderator());
            PageClient page = server.page("/a/");
            assertNull(error(publish(page, "/service/log", "note")));
            assertEquals("REFUSED publish on /service/log refused: no shouting", error(publish(page, "/service/log", "NOTE")));
            assertEquals(List.of("filter", "moderator note", "handler note, please", "filter", "moderator NOTE"), steps);
        }
    }

    @Test
    void aReplacementMayBeOfAnotherTypeButMustConvert() {
        try (TestServer server = TestServer.start(builder())) {
            server.pagewire().topics().addListener(new TopicListener() {
                @Override
                public Object publishing(Page page, String topic, Object data) {
                    return ((Line) data).text().equals("odd") ? new Object() : new Signed("ann", ((Line) data).text());
                }
            });
            PageClient reader = server.page("/chat/");
            assertNull(reader.call("PagewireTopics", "subscribe", "/chat/*").get("error"));
            PageClient writer = server.page("/chat/");
            assertNull(error(publish(writer, "/chat/lobby", "hi")));
            JsonObject reply = publish(writer, "/chat/lobby", "odd");
            assertEquals("INTERNAL", reply.getAsJsonObject("error").get("code").getAsString(), reply.toString());
            PageClient.Reply r = reader.post("/poll", "{\"ack\":0}", reader.pageHeaders());
            JsonArray updates = r.json().getAsJsonArray("updates");
            assertEquals(1, updates.size(), "what does not convert reaches nobody: " + updates);
            assertEquals("{\"from\":\"ann\",\"text\":\"hi\"}", updates.get(0).getAsJsonObject().get("data").toString());
        }
    }

    @Test
    void onlyPagesSubscribedToATopicMayPublishOnItWhereTheRuleSaysSubscribers() {
        try (TestServer server = TestServer.start(builder())) {
            PageClient ann = server.page("/room/");
            PageClient bob = server.page("/room/");
            assertNull(bob.call("PagewireTopics", "subscribe", "/room/blue").get("error"));
            assertEquals("FORBIDDEN cannot publish on /room/blue: only pages subscribed to it may",
                    error(publish(ann, "/room/blue", "knock")));

            assertNull(ann.call("PagewireTopics", "subscribe", "/room/*").get("error"));
            assertNull(error(publish(ann, "/room/blue", "hi")), "a wildcard subscription matching the topic counts");
            assertEquals("hi", texts(bob, 0).get(0).getAsString());

            assertNull(ann.call("PagewireTopics", "unsubscribe", "/room/*").get("error"));
            assertEquals("FORBIDDEN cannot publish on /room/blue: only pages subscribed to it may",
                    error(publish(ann, "/room/blue", "again")), "not after leaving");
            assertEquals("FORBIDDEN cannot subscribe /members/x: only pages subscribed to it may",
                    error(ann.call("PagewireTopics", "subscribe", "/members/x")), "as a subscribe rule it allows nothing");
        }
    }
}
