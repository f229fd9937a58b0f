package dev.pagewire.remoting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The replies of one batch while its calls run. A call's reply is known when its method returns,
 * or, for a method returning an incomplete {@link CompletionStage}, when the stage completes. The
 * batch is done when every reply is known or when its time budget runs out, whichever comes
 * first. A call without a reply then (still running, or never started because the budget was
 * spent before its turn) reads {@code TIMEOUT}.
 *
 * <p><b>Threading.</b> {@link CallDispatcher} starts the calls in order on the request's thread
 * and {@link #add adds} each reply's stage; a stage completes on whatever thread the application
 * completes it on, which stores the reply. {@code unfinished} counts the stages not yet complete
 * plus one that the request's thread holds until it has either taken the replies at once
 * ({@link #finishNow}) or registered the handler ({@link #whenDone}), so the handler never runs
 * before it is known. The end of the budget ({@link #expire}) comes on a container thread, once
 * the request's thread has left. One atomic flag decides between the last completion and the
 * budget, so the handler runs exactly once, with a snapshot: a reply stored after it is dropped.
 */
public final class BatchRun {
    private final long[] ids;
    private final AtomicReferenceArray<Reply> replies;
    private final AtomicInteger unfinished = new AtomicInteger(1);
    private final AtomicBoolean done = new AtomicBoolean();
    private final long deadline;
    private final Duration budget;
    private volatile Consumer<List<Reply>> handler;

    BatchRun(List<Call> calls, Duration budget) {
        this.ids = calls.stream().mapToLong(Call::id).toArray();
        this.replies = new AtomicReferenceArray<>(ids.length);
        this.budget = budget;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** Whether the budget is spent: calls not started yet are not started. */
    boolean budgetSpent() {
        return System.nanoTime() - deadline >= 0;
    }

    /** Stores the reply of call {@code index} when {@code reply} completes (at once if it has). */
    void add(int index, CompletionStage<Reply> reply) {
        unfinished.incrementAndGet();
        reply.whenComplete((r, failure) -> {
            replies.set(index, r); // CallDispatcher turns every failure into a reply
            if (unfinished.decrementAndGet() == 0) {
                finish();
            }
        });
    }

    /** Whether some call is still running within the budget, so the reply has to wait. */
    public boolean waiting() {
        return unfinished.get() > 1 && !budgetSpent();
    }

    /** Milliseconds left of the budget, at least 1 (a request's async timeout of 0 means none). */
    public long remainingMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** Ends the batch now, on the request's thread, and returns its replies; later completions are dropped. */
    public List<Reply> finishNow() {
        done.set(true);
        return snapshot();
    }

    /**
     * Runs {@code handler} once with the replies, when the last call completes or the budget
     * runs out: on the thread that completed the last stage, on the container's timeout thread,
     * or at once on this one if everything completed already.
     */
    public void whenDone(Consumer<List<Reply>> handler) {
        this.handler = handler;
        if (unfinished.decrementAndGet() == 0) {
            finish();
        }
    }

    /** The budget ran out: the handler runs now unless the last completion beat it. */
    public void expire() {
        finish();
    }

    private void finish() {
        if (done.compareAndSet(false, true)) {
            handler.accept(snapshot());
        }
    }

    private List<Reply> snapshot() {
        List<Reply> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            Reply r = replies.get(i);
            out.add(r != null ? r : Reply.failed(ids[i], CallError.timeout(
                    "not finished within the batch's time budget of " + budget.toMillis() + " ms")));
        }
        return out;
    }
}
