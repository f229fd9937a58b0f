package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.pagewire.testing.PageClient;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Malformed and truncated JSON, and wrong JSON types in the envelope: 400 {@code MALFORMED}. See {@link HostileFixture} for what every case expects. */
class HostileJsonTest extends HostileFixture {
    // =====================================================================================
    // Malformed and truncated JSON: 400 MALFORMED
    // =====================================================================================

    static final String VALID_BATCH = "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\","
            + "\"args\":[\"x\"]},{\"id\":2,\"proxy\":\"Echo\",\"method\":\"point\",\"args\":[{\"x\":1,\"y\":-2}]}]}";

    @TestFactory
    Stream<DynamicTest> malformedJsonIsRefusedAsAWhole() {
        List<String> bodies = List.of("", " ", "\n\t ", "not json", "null", "true", "42", "\"calls\"", "[]",
                "[{\"calls\":[]}]", "{}", "{\"ack\":0}", "{\"calls\":null}", "{\"calls\":{}}", "{\"calls\":\"[]\"}",
                "{\"calls\":[1]}", "{\"calls\":[[]]}", "{\"calls\":[null]}", "{\"calls\":[{}]}",
                "{\"calls\":[{\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[]}]}",
                "{\"calls\":[{\"id\":1,\"method\":\"echo\",\"args\":[]}]}",
                "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"args\":[]}]}",
                "{'calls':[]}", "{calls:[]}", "{\"calls\":[],}", "{\"calls\":[,]}", "{\"calls\":[],,\"ack\":0}",
                "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\",]}]}",
                "/* c */{\"calls\":[]}", "{\"calls\":[]}// c", "# c\n{\"calls\":[]}",
                call("echoDouble", "NaN"), call("echoDouble", "Infinity"), call("echoDouble", "-Infinity"),
                call("echoInt", "0x10"), call("echoInt", "010"), call("echoInt", "+1"), call("echoDouble", ".5"),
                call("echoDouble", "1."), call("echoInt", "-"), call("echoDouble", "1e"), call("echoDouble", "1e+"),
                call("echo", "\"unterminated"), call("echo", "\"bad escape \\x\""), call("echo", "\"short \\u12\""),
                call("echo", "\"raw \u0001 control\""), call("echo", "\"raw \n newline\""),
                call("echo", "undefined"), call("echo", "'single'"), call("echo", "\"a\" \"b\""),
                "{\"calls\":[]}{\"calls\":[]}", "{\"calls\":[]} trailing", "{\"calls\":[]}]", "{\"calls\":[]}}",
                "{\"calls\" []}", "{\"calls\":}", "{:[]}", "{\"calls\":[]", "{\"calls\":[{\"id\":1}",
                "{\"calls\":[]}\u0000", "\u0000{\"calls\":[]}", "{\"calls\":[\u0000]}");
        Stream<DynamicTest> named = bodies.stream().map(body -> dynamicTest("malformed " + label(body),
                () -> {
                    assertRefused(page.post("/call", body, page.pageHeaders()), 400, "MALFORMED", body);
                    assertHealthy();
                }));
        Stream<DynamicTest> truncated = IntStream.range(0, VALID_BATCH.length()).mapToObj(n -> {
            String body = VALID_BATCH.substring(0, n);
            return dynamicTest("truncated to " + n + " chars: " + label(body), () -> {
                assertRefused(page.post("/call", body, page.pageHeaders()), 400, "MALFORMED", body);
                assertHealthy();
            });
        });
        Stream<DynamicTest> bytes = Stream.of(
                new Object[] {"invalid UTF-8 before the object", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, VALID_BATCH)},
                new Object[] {"UTF-16 body", VALID_BATCH.getBytes(StandardCharsets.UTF_16)},
                new Object[] {"lone continuation byte in a key", concat("{\"ca".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0x80}, "lls\":[]".getBytes(StandardCharsets.UTF_8))},
                new Object[] {"random binary", new java.util.Random(7).ints(512, 0, 256)
                        .collect(ByteArrayOutputStream::new, (o, b) -> o.write(b), (a, b) -> { }).toByteArray()})
                .map(c -> dynamicTest("malformed bytes: " + c[0], () -> {
                    assertRefused(postBytes(page, "/call", (byte[]) c[1], "application/json", page.pageHeaders()),
                            400, "MALFORMED");
                    assertHealthy();
                }));
        return Stream.of(named, truncated, bytes).flatMap(Function.identity());
    }

    @Test
    void validBatchBaselineIsAccepted() {
        PageClient.Reply r = page.post("/call", VALID_BATCH, page.pageHeaders());
        assertEquals(200, r.status(), r.body());
        JsonArray replies = r.json().getAsJsonArray("replies");
        assertEquals("x", replies.get(0).getAsJsonObject().get("result").getAsString());
        assertEquals(-2, replies.get(1).getAsJsonObject().getAsJsonObject("result").get("y").getAsInt());
    }

    // =====================================================================================
    // Wrong JSON types in the envelope: 400 MALFORMED ("not JSON of the expected shape")
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> wrongTypesInTheEnvelopeAreMalformed() {
        List<DynamicTest> tests = new ArrayList<>();
        String call = "{\"id\":%s,\"proxy\":%s,\"method\":%s,\"args\":%s}";
        for (String id : List.of("\"1\"", "1.5", "null", "true", "{}", "[]", "1e400", "9223372036854775808", "-1e30")) {
            tests.add(callsCase("id as " + id, String.format(call, id, "\"Echo\"", "\"echo\"", "[\"x\"]")));
        }
        for (String proxy : List.of("5", "null", "true", "{}", "[\"Echo\"]")) {
            tests.add(callsCase("proxy as " + proxy, String.format(call, "1", proxy, "\"echo\"", "[\"x\"]")));
        }
        for (String method : List.of("5", "null", "false", "{}", "[\"echo\"]")) {
            tests.add(callsCase("method as " + method, String.format(call, "1", "\"Echo\"", method, "[\"x\"]")));
        }
        for (String args : List.of("{}", "{\"0\":\"x\"}", "\"x\"", "5", "true", "null")) {
            tests.add(callsCase("args as " + args, String.format(call, "1", "\"Echo\"", "\"echo\"", args)));
        }
        for (String calls : List.of("{}", "\"x\"", "5", "null", "[1]", "[[]]", "[\"call\"]", "[true]")) {
            tests.add(bodyCase("/call", "calls as " + calls, "{\"calls\":" + calls + "}"));
        }
        for (String ack : List.of("\"5\"", "\"abc\"", "-1", "-5", "1.5", "true", "null", "{}", "[]", "1e400",
                "9223372036854775808")) {
            tests.add(bodyCase("/call", "call ack as " + ack, "{\"ack\":" + ack + ",\"calls\":[]}"));
            tests.add(bodyCase("/poll", "poll ack as " + ack, "{\"ack\":" + ack + "}"));
            tests.add(bodyCase("/ack", "ack ack as " + ack, "{\"ack\":" + ack + "}"));
        }
        for (String hold : List.of("\"true\"", "1", "null", "{}", "[]")) {
            tests.add(bodyCase("/poll", "poll hold as " + hold, "{\"ack\":0,\"hold\":" + hold + "}"));
        }
        for (String body : List.of("[]", "\"x\"", "5", "null", "{\"ack\":1,\"ack\":2}", "{\"hold\":true,\"hold\":false}",
                "{\"ack\":0} 5", "{\"ack\":0", "{\"ack\":01}", "{\"ack\":00,\"hold\":true}",
                "{\"ack\":5,\"hold\":true}x", "{\"ack\":5,\"hold\":true}}", "{\"ack\":5,\"hold\":tru}",
                "{\"ack\":5,\"hold\":true", "{\"ack\":5,}", "{\"ack\":99999999999999999999}",
                "{\"ack\":5,\"hold\":true,\"ack\":6}")) {
            tests.add(bodyCase("/poll", "poll body " + body, body));
            tests.add(bodyCase("/ack", "ack body " + body, body));
        }
        for (String pagePath : List.of("5", "null", "[]", "{}", "true", "\"" + "/x".repeat(1500) + "\"")) {
            tests.add(dynamicTest("handshake page as " + label(pagePath), () -> {
                PageClient stranger = new PageClient(server.port());
                String body = "{\"path\":" + pagePath + "}";
                assertRefused(stranger.post("/handshake", body, Map.of()), 400, "MALFORMED", body);
                assertHealthy();
            }));
        }
        tests.add(dynamicTest("handshake without page", () -> {
            assertRefused(new PageClient(server.port()).post("/handshake", "{}", Map.of()), 400, "MALFORMED");
            assertHealthy();
        }));
        for (String unload : List.of("{\"page\":5,\"token\":\"t\"}", "{\"page\":\"s\",\"token\":5}",
                "{\"page\":\"s\"}", "{}", "[]", "\"s\"")) {
            tests.add(dynamicTest("unload body " + label(unload), () -> {
                PageClient victim = new PageClient(server.port());
                victim.handshake("/unload-victim/");
                String body = unload.replace("\"s\"", "\"" + victim.pageId() + "\"");
                assertRefused(victim.post("/unload", body, Map.of("Content-Type", "text/plain")), 400, "MALFORMED");
                assertEquals(200, victim.calls("[]").status(), "a malformed unload ends nothing");
                assertHealthy();
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> extremeButValidEnvelopeValuesAreAccepted() {
        return Stream.of(
                new String[] {"largest long id", "{\"calls\":[{\"id\":9223372036854775807,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"negative id", "{\"calls\":[{\"id\":-9223372036854775808,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"largest long ack", "{\"ack\":9223372036854775807,\"calls\":[]}"},
                new String[] {"unknown members are skipped", "{\"x\":{\"y\":[1,{}]},\"calls\":[{\"id\":1,\"zz\":null,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"x\"]}]}"},
                new String[] {"missing args means none", "{\"calls\":[{\"id\":1,\"proxy\":\"Guarded\",\"method\":\"visible\"}]}"})
                .map(c -> dynamicTest(c[0], () -> {
                    PageClient fresh = new PageClient(server.port());
                    fresh.handshake("/extreme/");
                    PageClient.Reply r = fresh.post("/call", c[1], fresh.pageHeaders());
                    assertEquals(200, r.status(), r.body());
                    assertNoInternals(r.body());
                    for (JsonElement reply : r.json().getAsJsonArray("replies")) {
                        assertTrue(reply.getAsJsonObject().has("result"), r.body());
                    }
                    assertHealthy();
                }));
    }

    @TestFactory
    Stream<DynamicTest> pollBodiesInAnyValidSpellingAreAccepted() {
        PageClient fresh = new PageClient(server.port());
        fresh.handshake("/poll-spellings/");
        return Stream.of("{\"ack\":0}", "{\"ack\":0,\"hold\":false}", "{ \"ack\" : 0 , \"hold\" : false }",
                        "{\"hold\":false,\"ack\":0}", "{\"ack\":0,\"x\":[1,{}],\"hold\":false}", "{}",
                        "{\"ack\":0.0}", "{\"ack\":9223372036854775807}")
                .map(body -> dynamicTest(label(body), () -> {
                    PageClient.Reply r = fresh.post("/poll", body, fresh.pageHeaders());
                    assertEquals(200, r.status(), body + " -> " + r.body());
                    assertTrue(r.json().has("updates"), r.body());
                    assertHealthy();
                }));
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static DynamicTest callsCase(String name, String oneCall) {
        return bodyCase("/call", name, "{\"calls\":[" + oneCall + "]}");
    }

    private static DynamicTest bodyCase(String path, String name, String body) {
        return dynamicTest(label(name), () -> {
            assertRefused(page.post(path, body, page.pageHeaders()), 400, "MALFORMED", body);
            assertHealthy();
        });
    }
}
