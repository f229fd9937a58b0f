package dev.pagewire.samples.echo;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.samples.Sample;

/** Echo: calls, results, a client-visible exception, timeouts, and pushes to the calling page. */
public final class EchoSample implements Sample {
    @Override
    public void configure(Pagewire.Builder builder) {
        // Passive: the page counts its calls' requests, which a WebSocket (auto's choice) would carry instead.
        builder.expose(Echo.class).deliveryRule("/echo/**", DeliveryMode.PASSIVE);
    }
}
