package dev.pagewire.samples.notes;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.samples.Sample;

/**
 * Notes, in several windows: live by the best mode that works ({@code auto}: WebSocket, SSE, Comet,
 * polling) unless the page picks one itself.
 */
public final class NotesSample implements Sample {
    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(Notes.class).deliveryRule("/notes/**", DeliveryMode.AUTO, DeliveryMode.COMET, DeliveryMode.SSE,
                DeliveryMode.WEBSOCKET);
    }
}
