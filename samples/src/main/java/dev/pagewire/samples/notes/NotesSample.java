package dev.pagewire.samples.notes;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.samples.Sample;

/** Notes, in several windows: live by Comet unless the page picks another mode (SSE, WebSocket, polling, passive). */
public final class NotesSample implements Sample {
    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(Notes.class).deliveryRule("/notes/**", DeliveryMode.COMET, DeliveryMode.SSE, DeliveryMode.WEBSOCKET);
    }
}
