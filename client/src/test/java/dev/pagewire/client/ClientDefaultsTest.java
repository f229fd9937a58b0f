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
        // The server's default is auto: the best mode the client speaks among those allowed (all,
        // when the handshake names none); a handshake without delivery advice means passive.
        assertEquals(dev.pagewire.DeliveryMode.AUTO, Pagewire.Builder.DEFAULT_DELIVERY_MODE);
        assertEquals(DeliveryMode.PASSIVE,
                Page.fromHandshake(JsonParser.parseString("{\"page\":\"p\",\"token\":\"t\"}").getAsJsonObject()).advisedMode);
        assertEquals(DeliveryMode.WEBSOCKET, Page.fromHandshake(JsonParser.parseString(
                "{\"page\":\"p\",\"token\":\"t\",\"delivery\":{\"mode\":\"auto\"}}").getAsJsonObject()).advisedMode);
    }

    @Test
    void anAdvisedAutoOrUnknownModeIsTheBestTheClientSpeaksAmongTheAllowed() {
        assertEquals(DeliveryMode.SSE, advised("auto", "[\"passive\",\"polling\",\"sse\"]"));
        assertEquals(DeliveryMode.WEBSOCKET, advised("carrier-pigeon", "[\"comet\",\"websocket\",\"carrier-pigeon\"]"));
        assertEquals(DeliveryMode.COMET, advised("auto", "[\"comet\",\"polling\"]"));
        assertEquals(DeliveryMode.PASSIVE, advised("auto", "[\"passive\"]"));
        assertEquals(DeliveryMode.POLLING, advised("polling", "[\"polling\",\"websocket\"]"), "a known advice is followed");
    }

    private static DeliveryMode advised(String mode, String allowed) {
        String handshake = "{\"page\":\"p\",\"token\":\"t\",\"delivery\":{\"mode\":\"" + mode + "\",\"allowed\":" + allowed + "}}";
        return Page.fromHandshake(JsonParser.parseString(handshake).getAsJsonObject()).advisedMode;
    }
}
