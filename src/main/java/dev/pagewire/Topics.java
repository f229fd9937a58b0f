package dev.pagewire;

/**
 * The topics of a {@link Pagewire} ({@link Pagewire#topics()}): server code publishes on any
 * topic; pages subscribe and publish only where a {@link TopicRule} allows them. Thread-safe.
 */
public interface Topics {
    /**
     * The topic named {@code name}, such as {@code /chat/lobby}.
     *
     * @throws IllegalArgumentException if {@code name} is not a topic name (it must start with
     *                                  {@code /}, and has no wildcards)
     */
    <T> Topic<T> topic(String name);

    /** Hears pages subscribe and unsubscribe (presence); listeners run in the order added. */
    void addListener(TopicListener listener);
}
