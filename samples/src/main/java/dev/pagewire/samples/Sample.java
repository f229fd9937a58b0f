package dev.pagewire.samples;

import dev.pagewire.PageGroup;
import dev.pagewire.Pagewire;

/** One sample of the samples server: what it exposes, and what it runs on its own. */
public interface Sample {
    /** Adds the sample's services and delivery rules to the configuration. */
    void configure(Pagewire.Builder builder);

    /** Starts what runs on its own (schedulers, listeners) once the configuration is built. */
    default void start(Pagewire pagewire) {
    }

    /** Stops what {@link #start} started. */
    default void stop() {
    }

    /**
     * The pages of {@code group} that this node serves. With several nodes (PAGEWIRE_REDIS), a
     * path group means the pages of every node; a sample whose pushes come from a source that runs
     * on every node (the monitor's list of this node's pages) narrows it to its own pages, so that
     * a page does not get one copy per node. A filter is resolved on the node that pushes.
     */
    static PageGroup onThisNode(PageGroup group) {
        return group.matching(page -> true);
    }
}
