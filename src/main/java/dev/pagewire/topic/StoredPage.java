package dev.pagewire.topic;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Page;
import dev.pagewire.spi.PageStore;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A subscribed page this node holds no copy of, as the page store tells it (several nodes), for
 * {@link dev.pagewire.Topic#subscribers()}: its id, path, about when it was made, and its
 * attributes with text values at its last subscribe, read-only. What only the serving node knows
 * (delivery mode, queue, acknowledgements) reads as unknown. Immutable.
 */
final class StoredPage implements Page {
    /** Ids are minted as the time in ms times 1024 (or just above): the page's start tells its birth. */
    private static final long IDS_PER_MILLI = 1024;

    private final PageStore.Subscriber stored;
    private final Consumer<String> end;

    /** {@code end} ends a page on every node, by id. */
    StoredPage(PageStore.Subscriber stored, Consumer<String> end) {
        this.stored = stored;
        this.end = end;
    }

    @Override
    public String id() {
        return stored.pageId();
    }

    @Override
    public String path() {
        return stored.path();
    }

    /** About when it was made: from its starting cursor, to the millisecond or later. */
    @Override
    public Instant createdAt() {
        return Instant.ofEpochMilli(stored.start() / IDS_PER_MILLI);
    }

    @Override
    public Object getAttribute(String name) {
        return stored.attributes().get(name);
    }

    /** @throws UnsupportedOperationException always: set attributes on the node serving the page */
    @Override
    public void setAttribute(String name, Object value) {
        throw new UnsupportedOperationException("page " + id() + " is served by another node: its attributes are read-only here");
    }

    /** {@link DeliveryMode#AUTO}: the node serving the page knows its mode. */
    @Override
    public DeliveryMode deliveryMode() {
        return DeliveryMode.AUTO;
    }

    /** 0: the node serving the page holds its queue. */
    @Override
    public int queuedUpdates() {
        return 0;
    }

    /** 0: the node serving the page knows it. */
    @Override
    public long lastAcknowledged() {
        return 0;
    }

    /** True: the store listed it live. */
    @Override
    public boolean isValid() {
        return true;
    }

    /** Ends the page on every node. */
    @Override
    public void invalidate() {
        end.accept(id());
    }

    @Override
    public String toString() {
        return "page " + id() + " on " + path() + " (another node)";
    }
}
