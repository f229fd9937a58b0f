package dev.pagewire.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's current page: made by a handshake when there is none, replaced by a new one when
 * the server no longer knows it ({@code PAGE_UNKNOWN}: it ended, expired, or the server
 * restarted). Calls and delivery that find out at once share one handshake.
 *
 * <p>Threading: every method may be called from any thread; the state is guarded by this
 * object's monitor, which also wakes the delivery thread waiting for a page to be replaced.
 */
final class PageSession {
    private final WireHttp http;
    private final String path;
    private final UpdateApplier applier;

    private Page page; // guarded by this: null before the first handshake and after a loss
    private CompletableFuture<Page> handshake; // guarded by this: the one in flight
    private boolean replacingLost; // guarded by this: the next page replaces a lost one
    private long pausedUntilNanos; // guarded by this: after 429 TOO_MANY_HANDSHAKES
    private boolean paused; // guarded by this
    private boolean closed; // guarded by this

    PageSession(WireHttp http, String path, UpdateApplier applier) {
        this.http = http;
        this.path = path;
        this.applier = applier;
    }

    /** The current page, after a handshake if there is none; fails with the handshake's refusal. */
    synchronized CompletableFuture<Page> current() {
        if (closed) {
            return CompletableFuture.failedFuture(new PagewireCallException("CLOSED", "the client is closed"));
        }
        if (page != null) {
            return CompletableFuture.completedFuture(page);
        }
        if (handshake == null || handshake.isDone()) { // done: one that failed, or whose page is gone
            handshake = startHandshake();
        }
        return handshake;
    }

    /** The current page, or null; makes no request. */
    synchronized Page peek() {
        return page;
    }

    /** Whether {@code candidate} is still the client's page. */
    synchronized boolean isCurrent(Page candidate) {
        return !closed && page == candidate;
    }

    /**
     * The server said {@code stale} is gone: drop it (once, whoever finds out first) and return
     * the page that replaces it.
     */
    CompletableFuture<Page> renew(Page stale) {
        synchronized (this) {
            if (page == stale && stale != null) {
                page = null;
                replacingLost = true;
                notifyAll();
            } else {
                stale = null; // someone else dropped it already
            }
        }
        if (stale != null) {
            applier.disconnected(stale, "PAGE_UNKNOWN");
        }
        return current();
    }

    /** Waits until {@code current} is no longer the client's page (replaced, lost, or the client closed). */
    synchronized void awaitReplacement(Page current) throws InterruptedException {
        while (!closed && page == current) {
            wait();
        }
    }

    /** Ends the session: no more handshakes; returns the page to unload, if any. */
    synchronized Page close() {
        closed = true;
        Page last = page;
        page = null;
        notifyAll();
        return last;
    }

    private CompletableFuture<Page> startHandshake() {
        String body = "{\"path\":" + WireJson.write(path) + "}";
        CompletableFuture<WireReply> reply;
        long waitNanos = paused ? pausedUntilNanos - System.nanoTime() : 0;
        if (waitNanos > 0) {
            reply = CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(waitNanos, TimeUnit.NANOSECONDS))
                    .thenCompose(ignored -> http.post("/handshake", body, null, null));
        } else {
            reply = http.post("/handshake", body, null, null);
        }
        return reply.handle(this::finishHandshake);
    }

    private Page finishHandshake(WireReply reply, Throwable failure) {
        Page fresh = failure == null && reply.ok() ? Page.fromHandshake(reply.body()) : null;
        boolean replacesLost;
        synchronized (this) {
            handshake = null;
            if (failure == null && reply.status() == 429) {
                paused = true;
                pausedUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, reply.retryAfterSeconds()));
            }
            if (fresh == null || closed) {
                throw failure != null ? Faults.of(failure) : closed ? new PagewireCallException("CLOSED", "the client is closed") : reply.refusal();
            }
            page = fresh;
            replacesLost = replacingLost;
            replacingLost = false;
            notifyAll();
        }
        applier.pageStarted(fresh, replacesLost);
        return fresh;
    }
}
