package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.pagewire.testing.PageClient;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Origins ({@code 403 FORBIDDEN_ORIGIN} on every POST endpoint), tokens and sessions. See {@link HostileFixture} for what every case expects. */
class HostileSessionsTest extends HostileFixture {
    // =====================================================================================
    // Origins: 403 FORBIDDEN_ORIGIN on every POST endpoint
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> foreignOriginsAreRefused() {
        int port = server.port();
        List<Map<String, String>> hostile = List.of(
                Map.of("Origin", "https://evil.example"),
                Map.of("Origin", "null"),
                Map.of("Origin", ""),
                Map.of("Origin", "http://localhost:" + port + ".evil.example"),
                Map.of("Origin", "http://localhost:" + port + "@evil.example"),
                Map.of("Origin", "http://evil.example/http://localhost:" + port),
                Map.of("Origin", "http://localhost:" + (port + 1)),
                Map.of("Sec-Fetch-Site", "cross-site"),
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:" + port),
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "same-origin"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, String> headers : hostile) {
            for (String path : List.of("/handshake", "/call", "/poll", "/ack", "/unload")) {
                tests.add(dynamicTest(path + " with " + label(headers.toString()), () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/origin/");
                    Map<String, String> all = new HashMap<>(victim.pageHeaders());
                    all.putAll(headers);
                    String body = switch (path) {
                        case "/handshake" -> "{\"path\":\"/x/\"}";
                        case "/call" -> "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}";
                        case "/unload" -> "{\"page\":\"" + victim.pageId() + "\",\"token\":\"" + victim.token() + "\"}";
                        default -> "{\"ack\":0}";
                    };
                    assertRefused(victim.post(path, body, all), 403, "FORBIDDEN_ORIGIN", headers.values().toArray(new String[0]));
                    assertEquals(200, victim.calls("[]").status(), "the victim's page still works");
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("own origin and same-site fetches pass", () -> {
            Map<String, String> own = new HashMap<>(page.pageHeaders());
            own.put("Origin", "http://localhost:" + port);
            own.put("Sec-Fetch-Site", "same-origin");
            assertEquals(200, page.post("/call", "{\"calls\":[]}", own).status());
        }));
        return tests.stream();
    }

    // =====================================================================================
    // Tokens and sessions
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> missingOrWrongTokensAreRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Object[]> cases = List.of(
                new Object[] {"no headers", (Function<PageClient, Map<String, String>>) v -> Map.of(), 403, "BAD_TOKEN"},
                new Object[] {"session only", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId()), 403, "BAD_TOKEN"},
                new Object[] {"token only", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Token", v.token()), 403, "BAD_TOKEN"},
                new Object[] {"wrong token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId(), "Pagewire-Token", "AAAAAAAAAAAAAAAAAAAAAA"), 403, "BAD_TOKEN"},
                new Object[] {"empty token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId(), "Pagewire-Token", ""), 403, "BAD_TOKEN"},
                new Object[] {"token prefix", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId(), "Pagewire-Token", v.token().substring(0, 21)), 403, "BAD_TOKEN"},
                new Object[] {"token plus a character", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId(), "Pagewire-Token", v.token() + "A"), 403, "BAD_TOKEN"},
                new Object[] {"the id as the token", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", v.pageId(), "Pagewire-Token", v.pageId()), 403, "BAD_TOKEN"},
                new Object[] {"unknown session id", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", "AAAAAAAAAAAAAAAAAAAAAA", "Pagewire-Token", v.token()), 410, "PAGE_UNKNOWN"},
                new Object[] {"4 KB session id", (Function<PageClient, Map<String, String>>) v -> Map.of("Pagewire-Page", "A".repeat(4096), "Pagewire-Token", v.token()), 410, "PAGE_UNKNOWN"});
        for (Object[] c : cases) {
            for (String path : List.of("/call", "/poll", "/ack")) {
                tests.add(dynamicTest(path + ": " + c[0], () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/tokens/");
                    @SuppressWarnings("unchecked")
                    Map<String, String> headers = ((Function<PageClient, Map<String, String>>) c[1]).apply(victim);
                    String body = path.equals("/call") ? "{\"calls\":[" + oneCall("echo", "\"x\"") + "]}" : "{\"ack\":0}";
                    assertRefused(victim.post(path, body, headers), (int) c[2], (String) c[3]);
                    assertEquals(200, victim.calls("[]").status());
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("/stream without id and token", () -> {
            assertRefused(page.get("/stream", Map.of()), 403, "BAD_TOKEN");
            assertHealthy();
        }));
        tests.add(dynamicTest("/stream with a wrong token", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/tokens/");
            assertRefused(victim.get("/stream?page=" + victim.pageId() + "&token=AAAAAAAAAAAAAAAAAAAAAA", Map.of()),
                    403, "BAD_TOKEN");
            assertHealthy();
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anotherBrowsersScriptSessionIsOffLimits() {
        record Attack(String name, int status, String code) {
        }
        // PROTOCOL.md: a wrong token is 403 BAD_TOKEN; the right id and token with another
        // browser's cookie are 410 PAGE_UNKNOWN, as if the session did not exist; with no cookie
        // at all, 403 NO_HTTP_SESSION_COOKIE (only a holder of the token learns that).
        List<Attack> attacks = List.of(new Attack("victim id, attacker's own token", 403, "BAD_TOKEN"),
                new Attack("victim id and victim token, attacker's cookie", 410, "PAGE_UNKNOWN"),
                new Attack("victim id and victim token, no cookie", 403, "NO_HTTP_SESSION_COOKIE"),
                new Attack("victim id, a guessed token, no cookie", 410, "PAGE_UNKNOWN"),
                new Attack("attacker id, victim token", 403, "BAD_TOKEN"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Attack a : attacks) {
            for (String path : List.of("/call", "/poll", "/ack", "/unload", "/stream")) {
                tests.add(dynamicTest(path + ": " + a.name(), () -> {
                    PageClient victim = new PageClient(server.port());
                    victim.handshake("/victim/");
                    PageClient attacker = new PageClient(server.port());
                    boolean withCookie = !a.name().contains("no cookie");
                    if (withCookie) {
                        attacker.handshake("/attacker/");
                    }
                    String id = a.name().startsWith("victim id") ? victim.pageId() : attacker.pageId();
                    String token = a.name().contains("victim token") ? victim.token()
                            : withCookie ? attacker.token() : "AAAAAAAAAAAAAAAAAAAAAA";
                    PageClient.Reply r = switch (path) {
                        case "/stream" -> attacker.get("/stream?page=" + id + "&token=" + token, Map.of());
                        case "/unload" -> attacker.post("/unload", "{\"page\":\"" + id + "\",\"token\":\"" + token + "\"}",
                                Map.of("Content-Type", "text/plain"));
                        case "/call" -> attacker.post(path, "{\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"bump\"}]}",
                                Map.of("Pagewire-Page", id, "Pagewire-Token", token));
                        default -> attacker.post(path, "{\"ack\":0}", Map.of("Pagewire-Page", id, "Pagewire-Token", token));
                    };
                    int bumpsBefore = BUMPS.get();
                    assertRefused(r, a.status(), a.code());
                    assertEquals(bumpsBefore, BUMPS.get(), "nothing ran");
                    PageClient.Reply still = victim.calls("[" + oneCall("echo", "\"mine\"") + "]");
                    assertEquals(200, still.status(), "the victim's page survives: " + still.body());
                    assertHealthy();
                }));
            }
        }
        tests.add(dynamicTest("/stream refusal for an EventSource is an event, never the stream", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/victim/");
            PageClient attacker = new PageClient(server.port());
            attacker.handshake("/attacker/");
            PageClient.Reply r = attacker.get("/stream?page=" + victim.pageId() + "&token=" + victim.token(),
                    Map.of("Accept", "text/event-stream"));
            assertEquals(200, r.status());
            assertTrue(r.body().startsWith("event: refused\ndata: {\"status\":410,\"error\":{\"code\":\"PAGE_UNKNOWN\""), r.body());
            assertNoInternals(r.body());
            assertHealthy();
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> tokensOfAnEndedSessionAreDead() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String path : List.of("/call", "/poll", "/ack", "/stream", "/stream (EventSource)", "/unload")) {
            tests.add(dynamicTest("unload, then " + path, () -> {
                PageClient ended = new PageClient(server.port());
                ended.handshake("/ended/");
                String unload = "{\"page\":\"" + ended.pageId() + "\",\"token\":\"" + ended.token() + "\"}";
                assertEquals(204, ended.post("/unload", unload, Map.of("Content-Type", "text/plain")).status());
                assertEquals(null, pagewire.pageRegistry.find(ended.pageId()));
                String streamPath = "/stream?page=" + ended.pageId() + "&token=" + ended.token();
                switch (path) {
                    case "/call" -> assertRefused(ended.calls("[" + oneCall("echo", "\"x\"") + "]"), 410, "PAGE_UNKNOWN");
                    case "/stream" -> assertRefused(ended.get(streamPath, Map.of()), 410, "PAGE_UNKNOWN");
                    case "/stream (EventSource)" -> {
                        PageClient.Reply r = ended.get(streamPath, Map.of("Accept", "text/event-stream"));
                        assertEquals(200, r.status());
                        assertTrue(r.body().startsWith("event: refused\ndata: {\"status\":410,\"error\":{\"code\":\"PAGE_UNKNOWN\""),
                                r.body());
                    }
                    case "/unload" -> {
                        // Unloading twice is harmless and ends nothing else.
                        assertEquals(204, ended.post("/unload", unload, Map.of("Content-Type", "text/plain")).status());
                    }
                    default -> assertRefused(ended.post(path, "{\"ack\":0}", ended.pageHeaders()), 410, "PAGE_UNKNOWN");
                }
                assertEquals(null, pagewire.pageRegistry.find(ended.pageId()), "never revived");
                assertHealthy();
            }));
        }
        tests.add(dynamicTest("unload with a wrong token ends nothing", () -> {
            PageClient victim = new PageClient(server.port());
            victim.handshake("/victim/");
            assertRefused(victim.post("/unload", "{\"page\":\"" + victim.pageId() + "\",\"token\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
                    Map.of("Content-Type", "text/plain")), 403, "BAD_TOKEN");
            assertEquals(200, victim.calls("[]").status());
            assertHealthy();
        }));
        return tests.stream();
    }
}
