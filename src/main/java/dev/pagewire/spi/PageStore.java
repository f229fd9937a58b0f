package dev.pagewire.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where pages live when several nodes serve them: any node can check, load and serve any page,
 * so a balancer may send each request of a page to any node. A node keeps a copy of each page it
 * serves, fed by the {@link Deliveries} of its {@link PushBackend}; this store is the truth the
 * copies are loaded from.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #create}, {@link #catchUp}, {@link #touch} and {@link
 * #live} may wait one round trip on the caller's thread (a request thread, or the housekeeper);
 * {@link #acknowledge}, {@link #end} and {@link #endBrowser} never wait.
 */
public interface PageStore {
    /**
     * The key every node signs page tokens and browser cookies with: the same on every node of
     * one application, kept secret from pages.
     */
    byte[] secret();

    /**
     * Records a new page.
     *
     * @param browser the browser's key (pages of one browser count against {@code maxPerBrowser})
     * @return its starting cursor (it gets the updates after it), and the pages of that browser
     *         ended to make room; {@code null} when the cluster holds {@code maxPages} pages
     * @throws RuntimeException when the store cannot be reached
     */
    Created create(String pageId, String path, String browser, PageCaps caps);

    /**
     * What page {@code pageId} has not applied after its cursor {@code after}, prefix-complete:
     * the page has every update meant for it with an id up to {@link Catchup#upTo()} once it
     * applied these.
     *
     * The page was heard from: its lifetime starts again, as with {@link #touch}.
     *
     * @param most updates the page may be behind in one stream (or keys with newer values in one
     *             topic); past it the page must resync
     * @return {@code null} when the page is unknown: it ended, expired, or the store lost it
     * @throws RuntimeException when the store cannot be reached
     */
    Catchup catchUp(String pageId, long after, int most);

    /** The page applied its private updates up to {@code upTo}: they may go. */
    void acknowledge(String pageId, long upTo);

    /**
     * These pages were heard from: their lifetime starts again.
     *
     * @return those of them that no longer exist (ended elsewhere, or lost by the store)
     * @throws RuntimeException when the store cannot be reached
     */
    Set<String> touch(Collection<String> pageIds);

    /**
     * Which of these pages are still live (the others ended or expired).
     *
     * @throws RuntimeException when the store cannot be reached
     */
    Set<String> live(Collection<String> pageIds);

    /**
     * Records that page {@code pageId} subscribed to the topic pattern {@code pattern} ({@code
     * subscribed}) or unsubscribed from it, so that every copy of the page, loaded now or later on
     * any node, holds the same subscriptions ({@link Catchup#topics()}) and gets the topic updates
     * published from then on. Every node hears of it through {@link Deliveries#subscription}, in
     * the one order of the pushes. Waits one round trip: when it returns, the change is durable.
     *
     * <p>The default keeps nothing (returns -1): each node then holds the subscriptions made on it.
     *
     * @param attributes at a subscribe, the page's attributes with text values, as {@link
     *                   #subscribers} will tell them (replacing those of its earlier subscribes)
     * @return the change's place in the order of pushes; 0 when the page is unknown; -1 when this
     *         store keeps no subscriptions
     * @throws RuntimeException when the store cannot be reached
     */
    default long subscription(String pageId, String pattern, boolean subscribed, Map<String, String> attributes) {
        return -1;
    }

    /**
     * The live pages, on any node, subscribed by a pattern matching the topic {@code name}, each
     * once: presence across the cluster.
     *
     * @return {@code null} when this store keeps no subscriptions (the default)
     * @throws RuntimeException when the store cannot be reached
     */
    default List<Subscriber> subscribers(String name) {
        return null;
    }

    /**
     * A page subscribed to a topic, as the store keeps it.
     *
     * @param start      the page's starting cursor ({@link Created#start()})
     * @param attributes its attributes with text values at its last subscribe
     */
    record Subscriber(String pageId, String path, long start, Map<String, String> attributes) {
        /** Copies {@code attributes}. */
        public Subscriber {
            attributes = Map.copyOf(attributes);
        }
    }

    /** Ends a page on every node (each hears of it through {@link Deliveries#ended}). Idempotent. */
    void end(String pageId);

    /** Ends every page of browser {@code browser} on every node. Idempotent. */
    void endBrowser(String browser);

    /**
     * The caps a new page is checked against.
     *
     * @param maxPages      pages the cluster holds at most
     * @param maxPerBrowser pages one browser holds at most; past it its least recently seen ends
     * @param lifeMillis    how long the page lives without being heard from (until its first touch)
     * @param idleMillis    how long the page lives without being heard from, once it was
     */
    record PageCaps(int maxPages, int maxPerBrowser, long lifeMillis, long idleMillis) {
    }

    /**
     * A page created: its starting cursor, and the ids of pages ended to make room.
     *
     * @param start the newest id when the page was made
     */
    record Created(long start, List<String> evicted) {
        /** Copies {@code evicted}. */
        public Created {
            evicted = List.copyOf(evicted);
        }
    }

    /**
     * A page's record and its updates after a cursor.
     *
     * @param path    the page's path
     * @param browser the key of the browser that made it
     * @param updates in id order, those of the topics it is subscribed to included (of a key's
     *                values, only the latest)
     * @param upTo    the page has every update meant for it up to this id once it applied these
     * @param topics  the topic patterns the page is subscribed to ({@link #subscription})
     */
    record Catchup(String path, String browser, List<Update> updates, long upTo, List<String> topics) {
        /** Copies {@code updates} and {@code topics}. */
        public Catchup {
            updates = List.copyOf(updates);
            topics = List.copyOf(topics);
        }

        /** A page without topic subscriptions (a store that keeps none). */
        public Catchup(String path, String browser, List<Update> updates, long upTo) {
            this(path, browser, updates, upTo, List.of());
        }
    }

    /**
     * One update: its id, whether it is private to the page (not shared by a scope), and the JSON
     * after {@code "seq"}; {@code resync} marks a queue that overflowed.
     *
     * @param topic for the latest value of a key ({@link Target.Topic} with a key), its topic, else
     *              {@code null}
     * @param key   its key, else {@code null}: a later value of the same topic and key replaces it
     *              in the page's queue
     */
    record Update(long id, boolean personal, boolean resync, String payload, String topic, String key) {
        /** An update that no later one replaces. */
        public Update(long id, boolean personal, boolean resync, String payload) {
            this(id, personal, resync, payload, null, null);
        }
    }
}
