package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import dev.pagewire.Pagewire;
import org.junit.jupiter.api.Test;

/** What the client assumes when a handshake leaves a delivery setting out is the server's default. */
class ClientDefaultsTest {
    @Test
    void theClientsDeliveryDefaultsAreTheServers() {
        assertEquals(Pagewire.Builder.DEFAULT_POLL_INTERVAL_SECONDS * 1000L, Page.DEFAULT_POLL_MILLIS);
        assertEquals(Pagewire.Builder.DEFAULT_COMET_HOLD_SECONDS * 1000L, Page.DEFAULT_HOLD_MILLIS);
        assertEquals(Pagewire.Builder.DEFAULT_SSE_ACK_DELAY_SECONDS * 1000L, Page.DEFAULT_ACK_DELAY_MILLIS);
        assertEquals(Pagewire.Builder.DEFAULT_SSE_HEARTBEAT_SECONDS * 1000L, Page.DEFAULT_HEARTBEAT_MILLIS);
        // The server's default is auto, which this client takes as passive (it chooses no mode by itself).
        assertEquals(dev.pagewire.DeliveryMode.AUTO, Pagewire.Builder.DEFAULT_DELIVERY_MODE);
        assertEquals(DeliveryMode.PASSIVE,
                Page.fromHandshake(JsonParser.parseString("{\"page\":\"p\",\"token\":\"t\"}").getAsJsonObject()).advisedMode);
        assertEquals(DeliveryMode.PASSIVE, Page.fromHandshake(JsonParser.parseString(
                "{\"page\":\"p\",\"token\":\"t\",\"delivery\":{\"mode\":\"auto\"}}").getAsJsonObject()).advisedMode);
    }
}
