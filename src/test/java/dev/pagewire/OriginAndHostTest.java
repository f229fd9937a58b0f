package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RawHttp;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The origin check compares the scheme as well as the authority, and {@code allowHosts} keeps
 * out pages that reach the server under another name (DNS rebinding), against real servers.
 */
class OriginAndHostTest {
    private static final String HANDSHAKE = "{\"path\":\"/\"}";

    @Test
    void anOriginWithTheServersAuthorityButAnotherSchemeIsRefused() {
        PagewireServer server = PagewireServer.create(Pagewire.builder().build()).start(0);
        try {
            PageClient client = new PageClient(server.port());
            String authority = "localhost:" + server.port();
            for (String scheme : new String[] {"evil", "https", "ftp"}) {
                PageClient.Reply r = client.post("/handshake", HANDSHAKE, Map.of("Origin", scheme + "://" + authority));
                assertEquals(403, r.status(), scheme + ": " + r.body());
                assertEquals("FORBIDDEN_ORIGIN", r.errorCode());
            }
            PageClient.Reply https = client.post("/handshake", HANDSHAKE, Map.of("Origin", "https://" + authority));
            assertTrue(https.body().contains("X-Forwarded-Proto"), "names the proxy mistake: " + https.body());
            assertEquals(200, client.post("/handshake", HANDSHAKE, Map.of("Origin", "http://" + authority)).status());
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutAllowedHostsARebindingPageIsAnsweredAsBefore() throws IOException {
        PagewireServer server = PagewireServer.create(Pagewire.builder().build()).start(0);
        try {
            assertEquals(200, rebindingHandshake(server.port()).status());
        } finally {
            server.stop();
        }
    }

    @Test
    void withAllowedHostsEveryRequestForAnotherHostIsRefusedScriptsIncluded() throws IOException {
        Pagewire pagewire = Pagewire.builder().allowHosts("app.example.test", "APP.example.test:8443").build();
        PagewireServer server = PagewireServer.create(pagewire).start(0);
        try {
            int port = server.port();
            try (RawHttp rebound = rebindingHandshake(port)) {
                assertEquals(403, rebound.status());
                assertTrue(rebound.readBody().contains("\"FORBIDDEN_HOST\""));
            }
            PageClient direct = new PageClient(port); // Host: localhost:port, not listed
            PageClient.Reply script = direct.get("/engine.js", Map.of());
            assertEquals(403, script.status());
            assertEquals("FORBIDDEN_HOST", script.errorCode());
            assertEquals("FORBIDDEN_HOST", direct.post("/call", "{\"calls\":[]}", Map.of()).errorCode());
            assertEquals(0, pagewire.livePages(), "nothing was created");
            for (String host : new String[] {"app.example.test", "app.example.test:8443"}) {
                try (RawHttp ok = RawHttp.send(port, "GET", "/pagewire/engine.js", Map.of("Host", host), null).readHead()) {
                    assertEquals(200, ok.status(), host);
                }
                Map<String, String> headers = new LinkedHashMap<>(Map.of("Host", host, "Origin", "http://" + host));
                headers.put("Content-Type", "application/json");
                try (RawHttp ok = RawHttp.send(port, "POST", "/pagewire/handshake", headers, HANDSHAKE).readHead()) {
                    assertEquals(200, ok.status(), host);
                }
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void allowedHostsMustBeHostNames() {
        for (String bad : new String[] {"", " ", "https://app.example.com", "app.example.com/", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().allowHosts(bad), bad);
        }
    }

    /** A page served by evil.test, whose name now resolves to this server: its own name and origin. */
    private static RawHttp rebindingHandshake(int port) throws IOException {
        String host = "evil.test:" + port;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        headers.put("Origin", "http://" + host);
        headers.put("Content-Type", "application/json");
        return RawHttp.send(port, "POST", "/pagewire/handshake", headers, HANDSHAKE).readHead();
    }
}
