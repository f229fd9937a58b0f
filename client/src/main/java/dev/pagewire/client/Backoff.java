package dev.pagewire.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits before reconnecting after failures: the builder's delays in turn, the last one
 * repeating, each varied by up to 30 % so that clients cut off together do not return together;
 * a success starts over. On the delivery thread only.
 */
final class Backoff {
    /** The engine's {@code RECONNECT_DELAYS}. */
    static final List<Duration> DEFAULT_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));
    private static final double JITTER = 0.3;

    private final List<Duration> delays;
    private int failures;

    Backoff(List<Duration> delays) {
        this.delays = List.copyOf(delays);
    }

    /** The wait after one more failure, in milliseconds. */
    long nextMillis() {
        long base = delays.get(Math.min(failures, delays.size() - 1)).toMillis();
        failures++;
        return Math.round(base * (1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
    }

    /** A success: the next failure waits the first delay again. */
    void reset() {
        failures = 0;
    }
}
