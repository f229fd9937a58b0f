package dev.pagewire.client;

import com.google.gson.JsonObject;

/**
 * Polling ({@code POST poll {"ack": n}} every {@code pollMillis}) and Comet
 * ({@code POST poll {"ack": n, "hold": true}}, again as soon as each reply arrives). A held poll
 * unanswered {@code holdMillis} plus a grace after it was sent is given up as a dead (half-open)
 * connection; a failed poll is sent again after the backoff, and brings whatever the lost reply
 * carried, since the server keeps every update until a request acknowledges it.
 *
 * <p>Threading: runs on the delivery thread; see {@link Delivery}.
 */
final class PollTransport implements Transport {
    private final Delivery delivery;
    private final boolean hold;

    PollTransport(Delivery delivery, boolean hold) {
        this.delivery = delivery;
        this.hold = hold;
    }

    @Override
    public Outcome run(Page page) throws InterruptedException {
        DeliveryMode mode = hold ? DeliveryMode.COMET : DeliveryMode.POLLING;
        while (delivery.session.isCurrent(page)) {
            JsonObject reply;
            try {
                reply = delivery.poll(page, hold);
            } catch (Delivery.Refused refused) {
                return refused.outcome;
            }
            if (reply == null) {
                Thread.sleep(delivery.backoff.nextMillis());
                continue;
            }
            delivery.succeeded(page, mode);
            if (hold && "polling".equals(Page.string(reply, "fallback"))) {
                return Outcome.FALLBACK; // too many held requests for this browser
            }
            if (!hold) {
                Thread.sleep(page.pollMillis);
            }
        }
        return Outcome.CHANGED;
    }
}
