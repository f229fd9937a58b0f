package dev.pagewire.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandshakeRateTest {
    @Test
    void aClientMayMakeItsAllowanceAtOnceThenWaitsForTheRefill() {
        HandshakeRate rate = new HandshakeRate(30, 100);
        for (int i = 0; i < 30; i++) {
            assertEquals(0, rate.tryAcquire("10.0.0.1"), "handshake " + i);
        }
        assertEquals(2, rate.tryAcquire("10.0.0.1"), "30 a minute: one every 2 s");
        assertEquals(0, rate.tryAcquire("10.0.0.2"), "another client has its own allowance");
    }

    @Test
    void theTableOfClientsStaysBounded() {
        HandshakeRate rate = new HandshakeRate(1, 100);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, rate.tryAcquire("client-" + i));
            assertTrue(rate.trackedClients() <= 100, "tracked: " + rate.trackedClients());
        }
    }
}
