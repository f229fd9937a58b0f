package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Arguments are taken only as the page wrote them: no number or boolean read as a string, no key
 * written twice, no record component or DTO field left out unless it is Optional or @Nullable.
 */
class StrictArgumentsTest {
    /** Stands for JSpecify's, Jakarta's or any other annotation of that simple name. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.TYPE_USE})
    @interface Nullable {
    }

    record Member(String name, int age, Optional<String> note, @Nullable String nick) {
    }

    @DataTransferObject
    static class Profile {
        String name;
        @Nullable String motto = "none";
        Optional<String> site;
    }

    @RemoteProxy(name = "Strict")
    public static class Strict {
        static final AtomicInteger RUNS = new AtomicInteger();

        @RemoteMethod
        public String text(String s) {
            RUNS.incrementAndGet();
            return "[" + s + "]";
        }

        @RemoteMethod
        public String letter(char c) {
            return String.valueOf(c);
        }

        @RemoteMethod
        public String member(Member m) {
            RUNS.incrementAndGet();
            return m.name() + "/" + m.age() + "/" + m.note().orElse("-") + "/" + m.nick();
        }

        @RemoteMethod
        public String profile(Profile p) {
            return p.name + "/" + p.motto + "/" + p.site.orElse("-");
        }

        @RemoteMethod
        public int members(List<Member> members) {
            return members.size();
        }
    }

    private static PagewireServer server;
    private static PageClient page;

    @BeforeAll
    static void start() {
        server = PagewireServer.create(Pagewire.builder().expose(Strict.class).build()).start(0);
        page = new PageClient(server.port());
        page.handshake("/strict/");
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aStringParameterTakesOnlyAJsonString() {
        assertEquals("[42]", page.call("Strict", "text", "42").get("result").getAsString());
        assertBadArgument(page.call("Strict", "text", 42), "argument 0 of Strict.text", "Expected a string but was NUMBER");
        assertBadArgument(page.call("Strict", "text", true), "Expected a string but was BOOLEAN");
        assertBadArgument(page.call("Strict", "letter", 7), "Expected a one-character string but was NUMBER");
        assertBadArgument(page.call("Strict", "letter", "ab"), "one-character string");
        assertEquals("x", page.call("Strict", "letter", "x").get("result").getAsString());
    }

    @Test
    void aRepeatedKeyIsMalformedWhereverItIsAndNothingRuns() {
        int runs = Strict.RUNS.get();
        String member = "{\"name\":\"ann\",\"age\":3,\"name\":\"bob\",\"nick\":null}";
        assertMalformed(page.calls("[{\"id\":1,\"proxy\":\"Strict\",\"method\":\"member\",\"args\":[" + member + "]}]"),
                "\"name\" appears twice");
        assertMalformed(page.calls("[{\"id\":1,\"proxy\":\"Strict\",\"method\":\"text\",\"args\":[\"a\"],"
                + "\"method\":\"member\"}]"), "\"method\" appears twice");
        for (String key : new String[] {"id", "proxy", "args", "extra"}) {
            String first = "{\"id\":1,\"proxy\":\"Strict\",\"method\":\"text\",\"args\":[\"a\"],\"extra\":0";
            String again = switch (key) {
                case "id" -> "2";
                case "proxy" -> "\"Strict\"";
                case "args" -> "[\"b\"]";
                default -> "1";
            };
            assertMalformed(page.calls("[" + first + ",\"" + key + "\":" + again + "}]"), "\"" + key + "\" appears twice");
        }
        assertMalformed(page.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Strict\",\"method\":\"text\","
                + "\"args\":[\"a\"]}],\"calls\":[]}", page.pageHeaders()), "\"calls\" appears twice");
        assertEquals(runs, Strict.RUNS.get(), "no call of a refused batch ran");
    }

    @Test
    void aRecordComponentMayBeLeftOutOnlyIfOptionalOrNullable() {
        assertEquals("ann/3/-/null", page.call("Strict", "member", Map.of("name", "ann", "age", 3))
                .get("result").getAsString(), "Optional is empty and @Nullable null when left out");
        assertEquals("ann/3/hi/al", page.call("Strict", "member",
                Map.of("name", "ann", "age", 3, "note", "hi", "nick", "al")).get("result").getAsString());
        assertBadArgument(page.call("Strict", "member", Map.of("age", 3)), "Member.name is missing",
                "only Optional or @Nullable members may be left out or null");
        assertBadArgument(page.callRaw("Strict", "member", "[{\"name\":null,\"age\":3}]"), "Member.name is null");
        assertBadArgument(page.call("Strict", "member", Map.of("name", "ann")), "Member.age is missing");
        assertBadArgument(page.call("Strict", "members", List.of(Map.of("name", "ann", "age", 1), Map.of("age", 2))),
                "Member.name is missing");
    }

    @Test
    void aDtoFieldMayBeLeftOutOnlyIfOptionalOrNullable() {
        assertEquals("ann/none/-", page.call("Strict", "profile", Map.of("name", "ann")).get("result").getAsString(),
                "a @Nullable field left out keeps its initial value");
        assertEquals("ann/null/-", page.callRaw("Strict", "profile", "[{\"name\":\"ann\",\"motto\":null}]")
                .get("result").getAsString());
        assertBadArgument(page.call("Strict", "profile", Map.of("motto", "carpe")), "Profile.name is missing");
    }

    private static void assertBadArgument(JsonObject reply, String... expected) {
        JsonObject error = reply.getAsJsonObject("error");
        assertEquals("BAD_ARGUMENTS", error == null ? reply.toString() : error.get("code").getAsString());
        String message = error.get("message").getAsString();
        for (String part : expected) {
            assertTrue(message.contains(part), message);
        }
    }

    private static void assertMalformed(PageClient.Reply reply, String expected) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals("MALFORMED", reply.errorCode());
        assertTrue(reply.body().contains(expected.replace("\"", "\\\"")), reply.body());
    }
}
