package dev.pagewire.spi;

import java.util.List;

/** The pages a published update is for, as every node can resolve them. */
public sealed interface Target permits Target.All, Target.Path, Target.Pages, Target.Topic {
    /** Every page. */
    record All() implements Target {
    }

    /** The pages at a normalised path, such as {@code /chat/}. */
    record Path(String path) implements Target {
    }

    /** The pages with these ids (wherever they are served). */
    record Pages(List<String> ids) implements Target {
        /** Copies {@code ids}. */
        public Pages {
            ids = List.copyOf(ids);
        }
    }

    /**
     * The pages subscribed to a topic ({@code dev.pagewire.Topic}), such as {@code /stocks/ACME}:
     * each node delivers to the pages whose subscriptions it holds that match the name.
     *
     * <p>With a {@code key}, the update is the latest value of that key ({@code
     * Topic.publishLatest}): the backend numbers the values of each topic and key in one sequence
     * for every node (1, 2, 3...) in the same step that orders the update, and writes that version
     * as the update's first member, {@code "version":N,} before the members it was given (which
     * carry the key and no version). It delivers the target with its key, so each node replaces
     * a page's queued value of the same topic and key, and {@link PageStore#catchUp} returns only
     * the latest value of each key.
     *
     * @param key the key of a value published with {@code publishLatest}, or {@code null}
     */
    record Topic(String name, String key) implements Target {
        /** A topic publish every subscriber gets (no key). */
        public Topic(String name) {
            this(name, null);
        }
    }
}
