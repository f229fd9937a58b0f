package dev.pagewire.testing;

import dev.pagewire.DeliveryMode;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.Waiter;

/**
 * Cuts a page's TCP connections through a {@link Balancer} in front of the server, and waits for
 * its engine to come back: for a page with a held request or a socket (Comet, SSE, WebSocket),
 * until another one replaced the one cut. For the tests that push or publish across cuts.
 */
public final class Cuts {
    private Cuts() {
    }

    /**
     * Cuts every connection through {@code balancer} and, for a page in Comet, SSE or WebSocket
     * mode, waits up to a minute for a waiter (a held poll, a stream or a socket) other than the
     * one it had.
     */
    public static void cutAndAwaitReconnect(Balancer balancer, LivePage page, String what) {
        Waiter cut = page.queue().waiter();
        DeliveryMode mode = page.deliveryMode(); // before the cut: the page's check after it records polling
        balancer.cutAll();
        if (mode == DeliveryMode.POLLING || mode == DeliveryMode.PASSIVE) {
            return; // no waiter: the next request comes on its own
        }
        Wait.until("a new connection after " + what, 60, () -> {
            Waiter now = page.queue().waiter();
            return now != null && now != cut;
        });
    }
}
