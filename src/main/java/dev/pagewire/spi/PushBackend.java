package dev.pagewire.spi;

/**
 * Where pushes travel when several Pagewire nodes serve one application: every push leaves
 * through {@link #publish}, and every node hears every push, its own included, through the
 * {@link Deliveries} it gave to {@link #start}, in one order shared by all nodes. Without a
 * backend (the default) pushes stay in the JVM that made them.
 *
 * <p>For backends such as {@code dev.pagewire.redis.RedisBackend} (artifact
 * {@code pagewire-redis}); applications only pass one to {@code Pagewire.Builder.backend}.
 *
 * <p><b>Threading.</b> {@link #publish} is called on the pushing thread, from many threads at
 * once, and returns when the push is durable (it may wait one round trip); {@link Deliveries}
 * methods are called on one thread of the backend's, in id order, and must not block.
 */
public interface PushBackend extends AutoCloseable {
    /**
     * Starts hearing pushes: those published from now on reach {@code deliveries}. Called once,
     * by the node's {@code Pagewire} as it starts.
     */
    void start(Deliveries deliveries, Limits limits);

    /**
     * The node's settings a backend must follow.
     *
     * @param maxQueuedUpdates unacknowledged updates a page keeps before it must resync
     * @param pageIdleMillis   how long a page lives without being heard from (a shared update
     *                         is kept at least this long for pages that catch up)
     */
    record Limits(int maxQueuedUpdates, long pageIdleMillis) {
    }

    /**
     * Where pages live, so any node can serve any page; {@code null} when each page stays on the
     * node that made it (the balancer must then keep a browser on one node).
     */
    PageStore pages();

    /**
     * Publishes one update (the JSON members that follow {@code "seq"} in an update, such as
     * {@code "call":"ui.show","args":[1]}) to {@code target} on every node.
     *
     * @throws dev.pagewire.PushFailedException when it cannot be made durable; nothing was
     *                                          delivered, or (when the outcome is unknown) the
     *                                          message says so
     */
    void publish(Target target, String update);

    /** Stops hearing pushes and releases connections. */
    @Override
    void close();
}
