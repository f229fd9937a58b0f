package dev.pagewire.push;

import dev.pagewire.DeliveryMode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The live pages of one registry counted now: by delivery mode, their queued updates, and the
 * age of the oldest unacknowledged update among them (the ack lag). Taken by walking every page
 * once, when an operator's tool asks, never on a request's path.
 *
 * @param byMode        live pages per delivery mode, every mode present
 * @param queuedUpdates updates queued and not yet acknowledged, over all pages
 * @param ackLagNanos   how long the longest-waiting page has had updates unacknowledged; 0 if none
 */
public record PageCensus(Map<DeliveryMode, Integer> byMode, long queuedUpdates, long ackLagNanos) {
    /** Counts the pages of {@code registry}, now. */
    public static PageCensus of(PageRegistry registry) {
        Map<DeliveryMode, Integer> byMode = new EnumMap<>(DeliveryMode.class);
        for (DeliveryMode mode : DeliveryMode.values()) {
            byMode.put(mode, 0);
        }
        long queued = 0;
        long now = System.nanoTime();
        long lag = 0;
        for (LivePage page : registry.all()) {
            byMode.merge(page.deliveryMode(), 1, Integer::sum);
            queued += page.queue().depth();
            long since = page.queue().unackedSince();
            if (since != 0) {
                lag = Math.max(lag, now - since);
            }
        }
        return new PageCensus(Collections.unmodifiableMap(byMode), queued, lag);
    }
}
