package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RawHttp;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Paths ({@code /interface/} tricks serve nothing but the generated proxy scripts), HTTP methods and content types. See {@link HostileFixture} for what every case expects. */
class HostilePathsTest extends HostileFixture {
    // =====================================================================================
    // Paths: /interface/ tricks never serve anything but the generated proxy scripts
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> interfacePathTricksServeNoFiles() throws IOException {
        String echoJs;
        try (RawHttp r = RawHttp.send(server.port(), "GET", "/pagewire/interface/Echo.js", Map.of(), null).readHead()) {
            assertEquals(200, r.status());
            echoJs = r.readBody();
        }
        String script = echoJs;
        String longName = "A".repeat(5000);
        // Raw request targets, sent byte for byte. Expected: 404 (Pagewire: no such proxy script) or
        // 400 (Tomcat refuses the URI: encoded slash, backslash, NUL, escape above the root); a few
        // that normalise to another Pagewire endpoint are named with their own status.
        List<String[]> targets = List.of(
                new String[] {"/pagewire/interface/../../WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/../../../../../../etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/%2e%2e/%2e%2e/WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "400 404"},
                new String[] {"/pagewire/interface/..%2f..%2fWEB-INF%2fweb.xml", "400 404"},
                new String[] {"/pagewire/interface/%2fetc%2fpasswd", "400 404"},
                new String[] {"/pagewire/interface/..%5c..%5cWEB-INF%5cweb.xml", "400 404"},
                new String[] {"/pagewire/interface/..\\..\\WEB-INF\\web.xml", "400 404"},
                new String[] {"/pagewire/interface/Echo.js%00", "400 404"},
                new String[] {"/pagewire/interface/Echo.js%00.png", "400 404"},
                new String[] {"/pagewire/interface/%252e%252e/%252e%252e/etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "400 404"},
                new String[] {"/pagewire/interface/" + longName + ".js", "404"},
                new String[] {"/pagewire/interface/Ech%D0%BE.js", "404"},   // Cyrillic o
                new String[] {"/pagewire/interface/Echo%EF%BC%8Ejs", "404"}, // fullwidth full stop
                new String[] {"/pagewire/interface/%EF%BC%A5cho.js", "404"}, // fullwidth E
                new String[] {"/pagewire/interface/Echo.js%E2%80%8B", "404"}, // zero-width space
                new String[] {"/pagewire/interface/echo.js", "404"},
                new String[] {"/pagewire/interface/Echo.JS", "404"},
                new String[] {"/pagewire/interface/Echo.js.", "404"},
                new String[] {"/pagewire/interface/Echo.js%20", "404"},
                new String[] {"/pagewire/interface/Echo.js::$DATA", "404"},
                new String[] {"/pagewire/interface/Echo", "404"},
                new String[] {"/pagewire/interface/.js", "404"},
                new String[] {"/pagewire/interface/", "404"},
                new String[] {"/pagewire/interface", "404"},
                new String[] {"/pagewire/interface/Echo.js/", "404"},
                new String[] {"/pagewire/interface/Echo.js/x", "404"},
                new String[] {"/pagewire/interface/java.lang.Runtime.js", "404"},
                new String[] {"/pagewire/interface/" + Echo.class.getName() + ".js", "404"},
                new String[] {"/pagewire/interface/Echo.class", "404"},
                new String[] {"/pagewire/interface/engine.js", "404"},
                new String[] {"/pagewire/interface/../engine.js", "200 engine"},
                new String[] {"/pagewire/interface/../call", "405"},
                // Path parameters are stripped by the container (Servlet spec): the same public
                // script, nothing else, is an acceptable answer.
                new String[] {"/pagewire/interface/Echo.js;jsessionid=x", "200 same 404"},
                new String[] {"/pagewire/interface/Echo.js;/../../WEB-INF/web.xml", "400 404"},
                new String[] {"/pagewire/interface/%45cho.js", "200 same 404"});
        return targets.stream().map(t -> dynamicTest("GET " + label(t[0]), () -> {
            try (RawHttp r = RawHttp.send(server.port(), "GET", t[0], Map.of(), null).readHead()) {
                String body = r.readBody();
                List<String> allowed = List.of(t[1].split(" "));
                assertTrue(allowed.contains(String.valueOf(r.status())), "status " + r.status() + ", expected " + t[1]
                        + ": " + clip(body));
                assertNoFileContent(body);
                if (r.status() != 200) {
                    // (A 200 is checked against the public script itself, which names its class.)
                    assertNoInternals(body, t[0]);
                }
                if (r.status() == 200 && allowed.contains("same")) {
                    assertEquals(script, body, "only the public proxy script");
                } else if (r.status() == 200) {
                    assertTrue(body.contains("createPagewire"), "the engine script");
                } else if (r.status() == 404 && isJson(r.header("Content-Type"))) {
                    assertEquals("NOT_FOUND", errorCode(body), body);
                }
            }
            assertHealthy();
        }));
    }

    @Test
    void aVeryLongInterfaceNameIsRefusedCleanly() throws IOException {
        try (RawHttp r = RawHttp.send(server.port(), "GET", "/pagewire/interface/" + "A".repeat(20_000) + ".js",
                Map.of(), null).readHead()) {
            assertTrue(r.status() == 400 || r.status() == 414 || r.status() == 404, "status " + r.status());
            String body = r.readBody();
            assertNoFileContent(body);
            assertNoInternals(body);
        } catch (IOException e) {
            // Tomcat may refuse an oversized request line by closing the connection: also clean.
        }
        assertHealthy();
    }

    // =====================================================================================
    // HTTP methods and content types
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> wrongMethodsAre405WithAllow() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String path : List.of("/call", "/poll", "/ack", "/handshake", "/unload")) {
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND")) {
                tests.add(methodCase(method, path, "POST"));
            }
        }
        for (String path : List.of("/stream", "/engine.js", "/engine.mjs", "/interface/Echo.js", "/interface/Echo.d.ts", "/")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                tests.add(methodCase(method, path, "GET"));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> bodiesThatAreNotJsonAre415() {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> types = new ArrayList<>(List.of("text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "text/json", "application/jsonp", "application/json-patch+json",
                "application/json, text/plain", "text/html", "application/xml", "*/*", "json"));
        types.add(null);
        for (String type : types) {
            for (String path : List.of("/call", "/poll", "/ack", "/handshake")) {
                // a call carrying files is multipart: a JSON body labelled so is no multipart body (400)
                boolean files = path.equals("/call") && type != null && type.startsWith("multipart/form-data");
                tests.add(dynamicTest(path + " as " + type, () -> {
                    String body = path.equals("/handshake") ? "{\"path\":\"/\"}"
                            : path.equals("/call") ? "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}" : "{\"ack\":0}";
                    assertRefused(postBytes(page, path, body.getBytes(StandardCharsets.UTF_8), type, page.pageHeaders()),
                            files ? 400 : 415, files ? "MALFORMED" : "UNSUPPORTED_MEDIA_TYPE",
                            files ? "multipart" : type == null ? "" : type);
                    assertHealthy();
                }));
            }
            if (type == null || !type.startsWith("text/plain")) {
                tests.add(dynamicTest("/unload as " + type, () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/unload-type/");
                    String body = "{\"page\":\"" + victim.pageId() + "\",\"token\":\"" + victim.token() + "\"}";
                    assertRefused(postBytes(victim, "/unload", body.getBytes(StandardCharsets.UTF_8), type, Map.of()),
                            415, "UNSUPPORTED_MEDIA_TYPE", type == null ? "" : type);
                    assertEquals(200, victim.calls("[]").status(), "nothing was unloaded");
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("media type names are case-insensitive, parameters allowed", () -> {
            for (String type : List.of("APPLICATION/JSON", "application/json; charset=utf-8", "Application/Json;charset=UTF-8")) {
                PageClient.Reply r = postBytes(page, "/call", "{\"calls\":[]}".getBytes(StandardCharsets.UTF_8), type,
                        page.pageHeaders());
                assertEquals(200, r.status(), type + ": " + r.body());
            }
        }));
        return tests.stream();
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static DynamicTest methodCase(String method, String path, String allow) {
        return dynamicTest(method + " " + path, () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
            if (method.equals("GET")) {
                b.GET();
            } else {
                b.method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
            }
            PageClient.Reply r = page.send(b.build());
            assertRefused(r, 405, "METHOD_NOT_ALLOWED", method);
            assertEquals(allow, r.raw().headers().firstValue("Allow").orElse(null));
            assertHealthy();
        });
    }

    private static void assertNoFileContent(String body) {
        for (String marker : List.of("root:", "<web-app", "<?xml", "[boot loader]", "package dev.pagewire", "\u00ca\u00fe\u00ba\u00be",
                "PK\u0003\u0004", "BEGIN RSA", "catalina")) {
            assertFalse(body.contains(marker), "file content (" + marker + "): " + clip(body));
        }
    }
}
