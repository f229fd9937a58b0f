package dev.pagewire.testing;

/**
 * The smallest exposed class: {@code Ping.ping()} answers {@code "pong"}. For tests that need a
 * server with something exposed but are about delivery, sessions or the container, not calls.
 */
public final class Ping {
    /** Answers {@code "pong"}. */
    public String ping() {
        return "pong";
    }
}
