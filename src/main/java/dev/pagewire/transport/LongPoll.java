package dev.pagewire.transport;

import dev.pagewire.push.LivePage;
import dev.pagewire.push.UpdateQueue;
import dev.pagewire.push.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Comet poll: held until an update is queued, then answered by a delivery thread (after the
 * write window, if one is set, to gather a burst into one reply); or answered empty when the hold
 * time (the request's async timeout) passes.
 *
 * <p><b>Threading.</b> Created on a request thread; woken on whatever thread pushed; the answer
 * runs on a delivery thread (on the timer thread after the write window, if one is set), or on a
 * container thread when
 * the hold time passes. {@code answered} decides once between
 * update, hold timeout, replacement and page end; the reply reads the queue at that moment,
 * so an update appended before it is in the reply and one appended after stays queued for the
 * next poll. The request's end (normal, error or cut connection) removes the waiter and frees
 * its place; so does {@link #close()} at once, without waiting for the reply to be written: a poll
 * is closed when the page's next poll replaces it (its connection was cut, and the container
 * learns that only when it writes) or when the page ends, and the place is the next poll's.
 */
final class LongPoll implements Waiter, AsyncOutput.Owner {
    private static final VarHandle ANSWERED = Flags.of(MethodHandles.lookup(), "answered");
    private static final VarHandle WINDOW_OPEN = Flags.of(MethodHandles.lookup(), "windowOpen");
    private static final VarHandle RELEASED = Flags.of(MethodHandles.lookup(), "released");

    private final LivePage page;
    private final long ack;
    private final AsyncOutput output;
    private final HeldRequests held;
    private final Executor delivery;
    private final ScheduledExecutorService timer;
    private final long writeWindowMillis;
    private volatile boolean answered;
    private volatile boolean windowOpen;
    private volatile boolean released;

    LongPoll(LivePage page, long ack, AsyncOutput output, HeldRequests held, Executor delivery,
             ScheduledExecutorService timer, long writeWindowMillis) {
        this.page = page;
        this.ack = ack;
        this.output = output;
        this.held = held;
        this.delivery = delivery;
        this.timer = timer;
        this.writeWindowMillis = writeWindowMillis;
    }

    /**
     * Registers as the page's waiter and answers at once if updates are already queued. The
     * hold time is the request's async timeout ({@link #timedOut}): the container already checks
     * every held request's timeout once a second, and a timer of our own per poll would cost a
     * scheduler entry and two heap operations under the scheduler's lock for each of thousands.
     */
    void start() {
        UpdateQueue queue = page.queue();
        Waiter previous = queue.replaceWaiter(this);
        if (previous != null) {
            previous.close();
        }
        if (queue.hasAfter(ack)) {
            answer();
        }
    }

    /** The hold time passed: answers with what is queued (usually nothing). */
    @Override
    public boolean timedOut() {
        return answer();
    }

    @Override
    public void updatesAvailable(boolean overflowed) {
        if (WINDOW_OPEN.compareAndSet(this, false, true)) {
            if (writeWindowMillis == 0) {
                delivery.execute(this::answer); // what the pusher appends before this runs goes along
            } else {
                timer.schedule(this::answer, writeWindowMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        answer();
        releasePlace();
    }

    /** Removes this waiter and frees its place; called once the request has ended, however it ended. */
    @Override
    public void finished() {
        answered = true;
        releasePlace();
        page.queue().removeWaiter(this);
        page.touch();
    }

    private void releasePlace() {
        if (RELEASED.compareAndSet(this, false, true)) {
            held.release(page.httpKey());
        }
    }

    /** Answers once; returns whether this call did. */
    private boolean answer() {
        if (!ANSWERED.compareAndSet(this, false, true)) {
            return false;
        }
        page.queue().removeWaiter(this);
        output.writeWhole(UpdateFormat.pollReply(page.queue().pending(ack), ""));
        return true;
    }
}
