package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.PageClient;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What may be called ({@code Object}'s methods, unexposed methods and unknown proxies are {@code NOT_FOUND}), and type hints, which build nothing but the declared type. See {@link HostileFixture} for what every case expects. */
class HostileTargetsTest extends HostileFixture {
    // =====================================================================================
    // What may be called: Object's methods, unexposed methods, unknown proxies → NOT_FOUND
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> objectMethodsAreNeverCallable() {
        List<DynamicTest> tests = new ArrayList<>();
        String[][] methods = {{"getClass", "[]"}, {"wait", "[]"}, {"wait", "[1]"}, {"wait", "[1,1]"}, {"notify", "[]"},
                {"notifyAll", "[]"}, {"hashCode", "[]"}, {"equals", "[null]"}, {"equals", "[\"x\"]"}, {"toString", "[]"},
                {"clone", "[]"}, {"finalize", "[]"}};
        for (String proxy : List.of("Echo", "Guarded", "Child")) {
            for (String[] m : methods) {
                tests.add(dynamicTest(proxy + "." + m[0] + m[1], () -> {
                    PageClient.Reply r = page.calls("[{\"id\":1,\"proxy\":\"" + proxy + "\",\"method\":\"" + m[0]
                            + "\",\"args\":" + m[1] + "}]");
                    callError(r, "NOT_FOUND");
                    assertFalse(r.body().contains("internals"), r.body());
                    assertHealthy();
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> unexposedMethodsAndUnknownProxiesAreNotFound() {
        String[][] cases = {
                {"Guarded", "hidden"}, {"Echo", "staticHelper"}, {"Echo", "packagePrivate"}, {"Child", "inherited"},
                {"Echo", "<init>"}, {"Echo", "<clinit>"}, {"Echo", "lambda$0"}, {"Echo", "access$000"},
                {"Echo", "echo "}, {"Echo", "ECHO"}, {"Echo", "echo\u0000"}, {"Echo", ""}, {"Echo", "echo()"},
                {"Echo", "Echo.echo"}, {"Echo", "m".repeat(5000)}, {"Nope", "x"}, {"", "echo"}, {"echo", "echo"},
                {"java.lang.Runtime", "exec"}, {"Runtime", "getRuntime"}, {"System", "exit"},
                {"Echo\u0000", "echo"}, {"../Echo", "echo"}, {"__proto__", "constructor"}, {"constructor", "call"},
                {"HostileFixture$Echo", "echo"}, {Echo.class.getName(), "echo"}, {"P".repeat(5000), "echo"},
                {"Pagewire", "close"}, {"pagewire", "close"},
        };
        return Stream.of(cases).map(c -> dynamicTest(label(c[0]) + "." + label(c[1]), () -> {
            String body = "[{\"id\":1,\"proxy\":" + new com.google.gson.Gson().toJson(c[0]) + ",\"method\":"
                    + new com.google.gson.Gson().toJson(c[1]) + ",\"args\":[\"x\"]}]";
            PageClient.Reply r = page.calls(body);
            JsonObject error = callError(r, "NOT_FOUND", c[0], c[1]);
            assertTrue(error.get("message").getAsString().length() < 300, "quotes at most a little input");
            assertHealthy();
        }));
    }

    @Test
    void exposedMethodsStillWork() {
        assertEquals("visible", page.callRaw("Guarded", "visible", "[]").get("result").getAsString());
        assertEquals("own", page.callRaw("Child", "own", "[]").get("result").getAsString());
    }

    // =====================================================================================
    // Type hints: a record parameter is built from its own components and nothing else
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> typeHintsNeverChooseTheClass() {
        String hints = "\"@class\":\"java.io.File\",\"type\":\"javax.script.ScriptEngineManager\",\"class\":\""
                + CANARY + "\",\"$type\":\"" + CANARY + "\",\"__proto__\":{\"x\":9},\"constructor\":\"" + CANARY + "\"";
        return Stream.of(
                dynamicTest("hints beside the components of a record are ignored", () -> {
                    JsonObject reply = page.callRaw("Echo", "point", "[{" + hints + ",\"x\":1,\"y\":2}]");
                    assertEquals(JsonParser.parseString("{\"x\":1,\"y\":2}"), reply.get("result"), reply.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints inside a list of records are ignored", () -> {
                    JsonObject reply = page.callRaw("Echo", "points", "[[{" + hints + ",\"x\":3,\"y\":4}]]");
                    assertEquals(JsonParser.parseString("[{\"x\":3,\"y\":4}]"), reply.get("result"), reply.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints alone are a record without its components, never another type", () -> {
                    JsonObject error = callError(page.calls("[" + oneCall("point", "{" + hints + "}") + "]"),
                            "BAD_ARGUMENTS", Point.class);
                    assertTrue(error.get("message").getAsString().contains("Point.x is missing"), error.toString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("a class name where a record goes is a bad argument", () -> {
                    for (String name : List.of("java.io.File", "javax.script.ScriptEngineManager", CANARY)) {
                        callError(page.calls("[" + oneCall("point", "\"" + name + "\"") + "]"), "BAD_ARGUMENTS",
                                Point.class, name);
                    }
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("hints in a Map<String,String> stay plain data", () -> {
                    JsonObject reply = page.callRaw("Echo", "map", "[{\"@class\":\"" + CANARY + "\"}]");
                    assertEquals(CANARY, reply.getAsJsonObject("result").get("@class").getAsString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }),
                dynamicTest("a class name as a string argument is only a string", () -> {
                    assertEquals(CANARY, page.callRaw("Echo", "echo", "[\"" + CANARY + "\"]").get("result").getAsString());
                    assertEquals(0, CANARY_TOUCHES.get());
                    assertHealthy();
                }));
    }

    /**
     * Regression (found by {@link RequestFuzzTest}, and by reading gson's record adapter): a record
     * whose constructor refuses its components must fail that call (BAD_ARGUMENTS: the argument
     * does not fit), not the whole batch; the next call still runs.
     */
    @TestFactory
    Stream<DynamicTest> regressionRecordConstructorThatThrowsFailsOnlyItsCall() {
        return Stream.of("{\"name\":\"a\",\"n\":-1}", "{\"n\":1}", "{\"name\":null,\"n\":1}").map(arg ->
                dynamicTest("checked(" + arg + ")", () -> {
                    PageClient.Reply r = page.calls("[" + oneCall("checked", arg) + ","
                            + "{\"id\":2,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"after\"]}]");
                    callError(r, "BAD_ARGUMENTS", Checked.class);
                    assertEquals("after", r.json().getAsJsonArray("replies").get(1).getAsJsonObject()
                            .get("result").getAsString());
                    assertHealthy();
                }));
    }

    /**
     * Regression (found by {@link RequestFuzzTest}): {@code null} inside an array of a primitive
     * type (gson's array adapter then throws IllegalArgumentException from Array.set) must fail that
     * call with BAD_ARGUMENTS, not the whole batch.
     */
    @TestFactory
    Stream<DynamicTest> regressionNullInAPrimitiveArrayFailsOnlyItsCall() {
        return Stream.of("[1,null]", "[null]", "[null,2,3]").map(arg -> dynamicTest("sum(" + arg + ")", () -> {
            PageClient.Reply r = page.calls("[" + oneCall("sum", arg) + ","
                    + "{\"id\":2,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"after\"]}]");
            callError(r, "BAD_ARGUMENTS", int[].class);
            assertEquals("after", r.json().getAsJsonArray("replies").get(1).getAsJsonObject().get("result").getAsString());
            assertHealthy();
        }));
    }
}
