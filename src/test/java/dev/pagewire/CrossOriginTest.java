package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** CORS for the origins in allowOrigins, and the public path behind a proxy. */
class CrossOriginTest {
    private static final String APP = "http://app.example.test:8443";

    @AutoClose
    private static final TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
            .allowOrigins(APP).trustedProxies("127.0.0.1", "::1"));

    private static RawHttp preflight(String origin, String path) throws Exception {
        return RawHttp.send(server.port(), "OPTIONS", "/pagewire" + path, Map.of("Origin", origin,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type,pagewire-page,pagewire-token"), null).readHead();
    }

    @Test
    void aListedOriginsPreflightIsAnsweredWithWhatPagewireUses() throws Exception {
        for (String path : new String[] {"/handshake", "/call", "/poll", "/ack", "/stream"}) {
            try (RawHttp reply = preflight(APP, path)) {
                assertEquals(204, reply.status(), path);
                assertEquals(APP, reply.header("Access-Control-Allow-Origin"), "the origin itself, never *");
                assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
                assertEquals("GET, POST", reply.header("Access-Control-Allow-Methods"));
                for (String header : new String[] {"Content-Type", "Pagewire-Page", "Pagewire-Token", "Last-Event-ID"}) {
                    assertTrue(reply.header("Access-Control-Allow-Headers").contains(header), header);
                }
                assertEquals("600", reply.header("Access-Control-Max-Age"));
                assertEquals("Origin", reply.header("Vary"));
            }
        }
    }

    @Test
    void anOriginNotListedGetsNoCorsHeadersAndItsPreflightIsRefused() throws Exception {
        try (RawHttp reply = preflight("https://evil.example.test", "/call")) {
            assertEquals(403, reply.status());
            assertNull(reply.header("Access-Control-Allow-Origin"));
            assertNull(reply.header("Access-Control-Allow-Credentials"));
            assertTrue(reply.readBody().contains("FORBIDDEN_ORIGIN"));
        }
        PageClient page = new PageClient(server.port());
        PageClient.Reply refused = page.post("/handshake", "{\"path\":\"/x/\"}", Map.of("Origin", "https://evil.example.test"));
        assertEquals(403, refused.status());
        assertTrue(refused.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void aListedOriginCallsPollsAndStreamsWithCorsHeaders() throws Exception {
        PageClient page = new PageClient(server.port());
        PageClient.Reply handshake = page.post("/handshake", "{\"path\":\"/app/\"}", Map.of("Origin", APP));
        assertEquals(200, handshake.status(), handshake.body());
        assertEquals(APP, handshake.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", handshake.raw().headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        page.handshake("/app/");
        Map<String, String> headers = new HashMap<>(page.pageHeaders());
        headers.put("Origin", APP);
        PageClient.Reply call = page.post("/call", "{\"calls\":[{\"id\":1,\"proxy\":\"Ping\",\"method\":\"ping\",\"args\":[]}]}",
                headers);
        assertEquals(200, call.status(), call.body());
        assertTrue(call.body().contains("pong"));
        assertEquals(APP, call.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("Retry-After", call.raw().headers().firstValue("Access-Control-Expose-Headers").orElse(null));
        PageClient.Reply poll = page.post("/poll", "{\"ack\":0}", headers);
        assertEquals(200, poll.status(), poll.body());
        assertEquals(APP, poll.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        try (RawHttp stream = RawHttp.send(server.port(), "GET", "/pagewire/stream?page=" + page.pageId() + "&token="
                + page.token() + "&ack=0", Map.of("Origin", APP, "Accept", "text/event-stream",
                "Cookie", page.cookieHeader()), null).readHead()) {
            assertEquals(200, stream.status());
            assertEquals("text/event-stream;charset=UTF-8", stream.header("Content-Type"));
            assertEquals(APP, stream.header("Access-Control-Allow-Origin"));
            assertEquals("true", stream.header("Access-Control-Allow-Credentials"));
        }
    }

    @Test
    void sameOriginRequestsCarryNoCorsHeaders() {
        PageClient page = new PageClient(server.port());
        PageClient.Reply reply = page.post("/handshake", "{\"path\":\"/x/\"}",
                Map.of("Origin", "http://localhost:" + server.port()));
        assertEquals(200, reply.status());
        assertTrue(reply.raw().headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void scriptsCallThePublicPath() throws Exception {
        try (RawHttp plain = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
            assertTrue(plain.readBody().contains("createPagewire({ base: \"/pagewire\", script: "));
        }
        try (RawHttp prefixed = RawHttp.send(server.port(), "GET", "/pagewire/engine.js",
                Map.of("X-Forwarded-Prefix", "/shop"), null).readHead()) {
            assertTrue(prefixed.readBody().contains("createPagewire({ base: \"/shop/pagewire\", script: "),
                    "a trusted proxy's prefix goes in front");
        }
        try (RawHttp bad = RawHttp.send(server.port(), "GET", "/pagewire/engine.js",
                Map.of("X-Forwarded-Prefix", "/shop\"><script>"), null).readHead()) {
            assertEquals(400, bad.status());
        }
        try (TestServer untrusting = TestServer.start(Pagewire.builder().expose(new Ping()));
             RawHttp ignored = RawHttp.send(untrusting.port(), "GET", "/pagewire/engine.js",
                     Map.of("X-Forwarded-Prefix", "/shop"), null).readHead()) {
            assertTrue(ignored.readBody().contains("createPagewire({ base: \"/pagewire\", script: "),
                    "the prefix of a client that is not a trusted proxy is ignored");
        }
        try (TestServer configured = TestServer.start(Pagewire.builder().expose(new Ping()).publicPath("/shop/rpc/"));
             RawHttp reply = RawHttp.send(configured.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
            assertTrue(reply.readBody().contains("createPagewire({ base: \"/shop/rpc\", script: "));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pagewire.builder().publicPath("shop"));
        assertTrue(e.getMessage().startsWith("publicPath must be a path such as /shop/pagewire"), e.getMessage());
    }
}
