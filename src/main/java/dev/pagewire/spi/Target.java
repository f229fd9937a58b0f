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
     */
    record Topic(String name) implements Target {
    }
}
