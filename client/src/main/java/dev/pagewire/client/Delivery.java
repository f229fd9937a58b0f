package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Receives the client's updates: waits for a page (handshaking again, with backoff, while the
 * server cannot be reached), chooses its delivery mode and runs that mode's {@link Transport}
 * until the page changes, is lost (a new page replaces it), or the mode must change. Also the
 * helpers the transports share: one {@code POST poll}, refusals, acknowledgements, waits.
 *
 * <p>Threading: {@link #run()} is the body of the delivery thread {@code pagewire-client-N-delivery},
 * which makes every poll and reads the stream with blocking waits on the HTTP client's futures;
 * closing the client interrupts it, which cancels the request it waits on. The updates it
 * receives are applied on the update thread ({@link UpdateApplier}), and it waits for them before
 * its next request, so every request acknowledges what was applied.
 */
final class Delivery implements Runnable {
    /** A held poll or stream still silent this long past what the server promised is taken for dead. */
    static final long WATCHDOG_GRACE_MILLIS = 10_000;
    /** A poll without hold is answered at once; this long without a reply is a dead connection. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(30);

    final WireHttp http;
    final PageSession session;
    final UpdateApplier applier;
    final Backoff backoff;
    final Calls calls;
    private final DeliveryMode wish;
    private boolean renewedInVain; // a lost page was replaced and delivery has not worked since

    Delivery(WireHttp http, PageSession session, UpdateApplier applier, Calls calls, Backoff backoff, DeliveryMode wish) {
        this.http = http;
        this.calls = calls;
        this.session = session;
        this.applier = applier;
        this.backoff = backoff;
        this.wish = wish;
    }

    @Override
    public void run() {
        try {
            deliver();
        } catch (InterruptedException closed) {
            // the client closed
        }
    }

    private void deliver() throws InterruptedException {
        Page page = null;
        DeliveryMode mode = null;
        while (!Thread.currentThread().isInterrupted()) {
            Page current = awaitPage();
            if (current != page) {
                page = current;
                mode = chooseMode(page);
                applier.connected(page, mode, true);
                if (mode == DeliveryMode.PASSIVE && confirm(page) == Transport.Outcome.LOST) {
                    recover(page);
                    continue;
                }
            }
            switch (transportFor(mode).run(page)) {
                case LOST -> recover(page);
                case FALLBACK -> mode = DeliveryMode.POLLING;
                case REFUSED -> mode = DeliveryMode.PASSIVE;
                case CHANGED -> { }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** The current page; while handshakes fail, tries again after each backoff delay. */
    private Page awaitPage() throws InterruptedException {
        while (true) {
            CompletableFuture<Page> page = session.current();
            try {
                return await(page);
            } catch (ExecutionException failed) {
                PagewireCallException refusal = Faults.of(failed);
                if (refusal.code().equals("CLOSED")) {
                    throw new InterruptedException("closed");
                }
                applier.problem(refusal);
                Thread.sleep(backoff.nextMillis());
            }
        }
    }

    /**
     * A page the server forgot: a new one. A server that forgets each new page must not get
     * handshakes at full speed, so a second loss without a success in between waits first.
     */
    private void recover(Page lost) throws InterruptedException {
        if (renewedInVain) {
            Thread.sleep(backoff.nextMillis());
        }
        renewedInVain = true;
        session.renew(lost);
    }

    private DeliveryMode chooseMode(Page page) {
        if (wish != null && page.allowedModes.contains(wish)) {
            return wish;
        }
        if (wish != null) {
            applier.problem(new PagewireCallException("MODE_NOT_ALLOWED", "the server allows " + page.allowedModes
                    + " at this path, not " + wish + ": using " + page.advisedMode));
        }
        return page.advisedMode;
    }

    private Transport transportFor(DeliveryMode mode) {
        return switch (mode) {
            case PASSIVE -> this::waitPassively;
            case POLLING -> new PollTransport(this, false);
            case COMET -> new PollTransport(this, true);
            case SSE -> new StreamTransport(this);
            case WEBSOCKET -> new SocketTransport(this);
        };
    }

    /** Passive: updates ride on call replies; nothing to do until the page changes. */
    private Transport.Outcome waitPassively(Page page) throws InterruptedException {
        session.awaitReplacement(page);
        return Transport.Outcome.CHANGED;
    }

    /**
     * A passive page makes no request of its own, but the server ends a page not heard from
     * soon after its handshake: {@code POST ack {"ack": 0}} says it is here.
     */
    private Transport.Outcome confirm(Page page) throws InterruptedException {
        try {
            WireReply reply = await(http.post("/ack", "{\"ack\":0}", page, POLL_TIMEOUT));
            return reply.ok() ? null : refusal(page, reply.status(), reply.body());
        } catch (ExecutionException noReply) {
            return null; // the next call finds out whether the page lives
        }
    }

    // ---- shared by the transports ----

    /**
     * One {@code POST poll}: {@code {"ack": n}}, with {@code "hold": true} for Comet. Returns the
     * reply's body once its updates were applied, or null when no reply came (the link is
     * reported lost); throws {@link Refused} when the server refused it.
     */
    JsonObject poll(Page page, boolean hold) throws InterruptedException, Refused {
        long ack = page.cursor();
        page.noteAcknowledged(ack);
        String body = hold ? "{\"ack\":" + ack + ",\"hold\":true}" : "{\"ack\":" + ack + "}";
        Duration timeout = hold ? Duration.ofMillis(page.holdMillis + WATCHDOG_GRACE_MILLIS) : POLL_TIMEOUT;
        WireReply reply;
        try {
            reply = await(http.post("/poll", body, page, timeout));
        } catch (ExecutionException noReply) {
            applier.disconnected(page, "NETWORK");
            return null;
        }
        JsonElement updates = reply.body() == null ? null : reply.body().get("updates");
        if (reply.ok() && updates != null && updates.isJsonArray()) {
            awaitApplied(applier.deliver(page, reply.body()));
            return reply.body();
        }
        Transport.Outcome outcome = refusal(page, reply.status(), reply.body());
        if (outcome == null) {
            applier.disconnected(page, "NETWORK");
            return null;
        }
        throw new Refused(outcome);
    }

    /**
     * What a refusal means: the page gone ({@code LOST}); server trouble, worth trying again
     * later (null); anything else would be refused again, so it is reported ({@code REFUSED}).
     */
    Transport.Outcome refusal(Page page, int status, JsonObject body) {
        WireReply reply = new WireReply(status, body, 0);
        PagewireCallException fault = reply.refusal();
        if (fault.code().equals("PAGE_UNKNOWN")) {
            return Transport.Outcome.LOST;
        }
        if (reply.isTransient()) {
            return null;
        }
        applier.problem(fault);
        return Transport.Outcome.REFUSED;
    }

    /**
     * A plain poll after a failed stream or socket (it brings the updates missed meanwhile):
     * null when the stream or socket may reopen, at once if it had proven itself, else after
     * the backoff; the outcome when the server refused the poll.
     */
    Transport.Outcome probe(Page page, boolean reopenAtOnce) throws InterruptedException {
        while (session.isCurrent(page)) {
            try {
                if (poll(page, false) != null) {
                    if (!reopenAtOnce) {
                        Thread.sleep(backoff.nextMillis());
                    }
                    return null;
                }
            } catch (Refused refused) {
                return refused.outcome;
            }
            Thread.sleep(backoff.nextMillis());
        }
        return Transport.Outcome.CHANGED;
    }

    /** Delivery reached the server and has proven itself: the backoff starts over. */
    void succeeded(Page page, DeliveryMode mode) {
        backoff.reset();
        renewedInVain = false;
        applier.connected(page, mode, false);
    }

    /** {@code POST ack {"ack": n}} for an SSE page, without waiting for the reply. */
    void acknowledge(Page page) {
        long ack = page.cursor();
        if (page.noteAcknowledged(ack)) {
            http.post("/ack", "{\"ack\":" + ack + "}", page, POLL_TIMEOUT); // lost: the next one covers it
        }
    }

    /** Waits for updates handed to the update thread to be applied. */
    void awaitApplied(CompletableFuture<Void> applied) throws InterruptedException {
        try {
            applied.get();
        } catch (ExecutionException e) {
            // never: the update thread reports its failures itself
        }
    }

    /** Waits for {@code future}; an interrupt (the client closing) cancels it. */
    static <T> T await(Future<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /** A poll the server refused: what the transport must return. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Transport.Outcome outcome;

        Refused(Transport.Outcome outcome) {
            super(outcome.name(), null, false, false);
            this.outcome = outcome;
        }
    }
}
