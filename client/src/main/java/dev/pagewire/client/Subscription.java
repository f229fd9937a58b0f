package dev.pagewire.client;

import java.util.concurrent.CompletableFuture;

/**
 * One handler's subscription to a topic pattern, made by {@link PagewireClient#subscribe}. It
 * holds for the client's life: the client subscribes again on the page that replaces a lost one.
 *
 * <p>Threading: safe from any thread.
 */
public final class Subscription {
    private final String pattern;
    private final CompletableFuture<Void> ready;
    private final Runnable unsubscribe;

    Subscription(String pattern, CompletableFuture<Void> ready, Runnable unsubscribe) {
        this.pattern = pattern;
        this.ready = ready;
        this.unsubscribe = unsubscribe;
    }

    /** The pattern subscribed to, such as {@code /stocks/*}. */
    public String pattern() {
        return pattern;
    }

    /**
     * Completes when the server accepted the subscription; fails with the call's
     * {@link PagewireCallException} ({@code FORBIDDEN}, {@code BAD_ARGUMENTS}) when it refused,
     * which also ends the subscription.
     */
    public CompletableFuture<Void> ready() {
        return ready.copy();
    }

    /**
     * Stops this handler; the last handler of a pattern also unsubscribes the page on the server.
     * Idempotent.
     */
    public void unsubscribe() {
        unsubscribe.run();
    }
}
