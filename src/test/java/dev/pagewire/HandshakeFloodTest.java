package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Handshakes nobody comes back to end at the first-contact timeout, and each client address has
 * a handshake allowance, so one client cannot fill the server's page cap. Real server, real HTTP.
 */
class HandshakeFloodTest {
    private static final String HANDSHAKE = "{\"path\":\"/flood/\"}";

    @Test
    void aPageNeverHeardFromAfterItsHandshakeEndsAtTheFirstContactTimeout() {
        try (TestServer server = TestServer.start(Pagewire.builder().firstContactTimeout(Duration.ofMillis(300)))) {
            Pagewire pagewire = server.pagewire();
            PageClient silent = server.page("/silent/");
            PageClient confirmed = server.page("/confirmed/");
            assertEquals(204, confirmed.post("/ack", "{\"ack\":0}", confirmed.pageHeaders()).status());
            Wait.until("the silent page to end", 20, () -> pagewire.pageRegistry.find(silent.pageId()) == null);
            assertNotNull(pagewire.pageRegistry.find(confirmed.pageId()), "a page heard from keeps the idle timeout");
            assertEquals("PAGE_UNKNOWN", silent.post("/ack", "{\"ack\":0}", silent.pageHeaders()).errorCode());
        }
    }

    @Test
    void aClientPastItsAllowanceGets429WithRetryAfterWhileOtherClientsGetIn() {
        try (TestServer server = TestServer.start(Pagewire.builder().handshakesPerMinute(3).trustedProxies("127.0.0.1", "::1"))) {
            Pagewire pagewire = server.pagewire();
            PageClient proxy = new PageClient(server.port());
            Map<String, String> flooder = Map.of("X-Forwarded-For", "10.0.0.1");
            for (int i = 0; i < 3; i++) {
                assertEquals(200, proxy.post("/handshake", HANDSHAKE, flooder).status());
            }
            PageClient.Reply refused = proxy.post("/handshake", HANDSHAKE, flooder);
            assertEquals(429, refused.status());
            assertEquals("TOO_MANY_HANDSHAKES", refused.errorCode());
            assertEquals("20", refused.raw().headers().firstValue("Retry-After").orElse(null), "one handshake per 20 s");
            PageClient.Reply forged = proxy.post("/handshake", HANDSHAKE, Map.of("X-Forwarded-For", "1.2.3.4, 10.0.0.1"));
            assertEquals(429, forged.status(), "entries left of the last untrusted one are the client's to forge");
            assertEquals(200, proxy.post("/handshake", HANDSHAKE, Map.of("X-Forwarded-For", "10.0.0.2")).status());
            assertEquals(3 + 1, pagewire.livePages());
        }
    }

    @Test
    void withoutTrustedProxiesForwardedForIsIgnored() {
        try (TestServer server = TestServer.start(Pagewire.builder().handshakesPerMinute(2).rateLimitLoopback(true))) {
            PageClient client = new PageClient(server.port());
            for (int i = 0; i < 2; i++) {
                assertEquals(200, client.post("/handshake", HANDSHAKE, Map.of("X-Forwarded-For", "10.0.0." + i)).status());
            }
            assertEquals(429, client.post("/handshake", HANDSHAKE, Map.of("X-Forwarded-For", "10.0.0.9")).status());
        }
    }

    @Test
    void byDefaultALocalProxyOrLoadToolOnLoopbackIsNotLimited() {
        try (TestServer server = TestServer.start(Pagewire.builder())) {
            PageClient client = new PageClient(server.port());
            int handshakes = 3 * Pagewire.Builder.DEFAULT_HANDSHAKES_PER_MINUTE;
            for (int i = 0; i < handshakes; i++) {
                assertEquals(200, client.post("/handshake", HANDSHAKE, Map.of()).status(), "handshake " + i);
            }
        }
    }

    @Test
    void theNewSettingsCheckTheirArguments() {
        Pagewire.Builder b = Pagewire.builder();
        assertThrows(IllegalArgumentException.class, () -> b.handshakesPerMinute(0));
        assertThrows(IllegalArgumentException.class, () -> b.maxRateLimitedClients(0));
        assertThrows(IllegalArgumentException.class, () -> b.firstContactTimeout(Duration.ZERO));
        for (String bad : new String[] {"proxy.example.com", "10.0.0.0/8", "", "999.1.1.1.1", "dead:beef:zz::1"}) {
            assertThrows(IllegalArgumentException.class, () -> b.trustedProxies(bad), bad);
        }
        b.trustedProxies("10.0.0.5", "::1", "fd00::5");
    }
}
