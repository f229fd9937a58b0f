package dev.pagewire.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandshakeRateTest {
    @Test
    void aClientMayMakeItsAllowanceAtOnceThenWaitsForTheRefill() {
        HandshakeRate rate = new HandshakeRate(30, 100, true);
        for (int i = 0; i < 30; i++) {
            assertEquals(0, rate.tryAcquire("10.0.0.1"), "handshake " + i);
        }
        assertEquals(2, rate.tryAcquire("10.0.0.1"), "30 a minute: one every 2 s");
        assertEquals(0, rate.tryAcquire("10.0.0.2"), "another client has its own allowance");
    }

    @Test
    void theTableOfClientsStaysBounded() {
        HandshakeRate rate = new HandshakeRate(1, 100, true);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, rate.tryAcquire("client-" + i));
            assertTrue(rate.trackedClients() <= 100, "tracked: " + rate.trackedClients());
        }
    }

    @Test
    void loopbackClientsCountOnlyWhenAskedTo() {
        HandshakeRate exempt = new HandshakeRate(1, 100, false);
        HandshakeRate limited = new HandshakeRate(1, 100, true);
        for (String loopback : new String[] {"127.0.0.1", "127.0.1.7", "0:0:0:0:0:0:0:1"}) {
            for (int i = 0; i < 5; i++) {
                assertEquals(0, exempt.tryAcquire(loopback), loopback + " is a local proxy or tool");
            }
            assertEquals(0, limited.tryAcquire(loopback));
            assertTrue(limited.tryAcquire(loopback) > 0, loopback + " limited when asked");
        }
        assertEquals(0, exempt.tryAcquire("10.0.0.1"));
        assertTrue(exempt.tryAcquire("10.0.0.1") > 0, "other addresses are always limited");
        assertEquals(1, exempt.trackedClients(), "loopback clients are not even tracked");
    }
}
