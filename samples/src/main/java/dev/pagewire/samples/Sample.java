package dev.pagewire.samples;

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
}
