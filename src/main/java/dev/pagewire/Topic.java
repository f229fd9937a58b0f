package dev.pagewire;

import java.util.List;

/**
 * A named channel pages subscribe to ({@code pagewire.subscribe("/stocks/*", fn)}); what is
 * published on it reaches every page subscribed by a pattern that matches its name, as one update
 * in each page's numbered, acknowledged queue, in every delivery mode. Obtain one with
 * {@link Topics#topic(String)}; it is a handle, cheap to keep in a field. Thread-safe.
 *
 * <pre>{@code
 * Topic<PriceTick> acme = pagewire.topics().topic("/ticker/prices/ACME");
 * acme.publishLatest("ACME", tick);   // a page behind gets only the newest tick
 * }</pre>
 *
 * @param <T> the type of what is published (checked by its runtime class at each publish)
 */
public interface Topic<T> {
    /** The topic's name, such as {@code /chat/lobby}. */
    String name();

    /**
     * Queues {@code data} for every page subscribed to this topic. {@code data} is converted by
     * the rules of pushed arguments ({@link PageGroup#call}) and encoded once, whatever the
     * number of subscribers; a page receives it once even when several of its patterns match.
     *
     * @throws IllegalArgumentException if {@code data} is not convertible (nothing is queued)
     */
    void publish(T data);

    /**
     * Publishes {@code value} as the newest under {@code key}: in the queue of a page that has
     * not yet acknowledged an earlier value of this topic and key, it replaces that value, so a
     * slow or reconnecting page gets the latest value per key, and its queue holds at most one
     * value per key. The page's handler learns how many values it skipped. With a backend
     * (several nodes) the same holds across the cluster, whichever nodes publish a key: the
     * backend counts the key's versions for every node, and a page loaded from its store gets
     * only the latest value of each key.
     *
     * @throws IllegalArgumentException if {@code key} is null or {@code value} not convertible
     */
    void publishLatest(String key, T value);

    /**
     * The pages subscribed now by a pattern matching this name, with their attributes ({@link
     * Page#getAttribute}); the topic's members, for presence. With a backend that keeps pages
     * (several nodes), the pages of every node, each once: one round trip to the store; a page
     * this node serves is its copy here, one served only by other nodes is read-only, with the
     * attributes whose values were text when it last subscribed.
     *
     * @throws RuntimeException with several nodes, when the page store cannot be reached
     */
    List<Page> subscribers();
}
