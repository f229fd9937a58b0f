package dev.pagewire.transport;

import dev.pagewire.push.LivePage;
import dev.pagewire.push.UpdateQueue;
import dev.pagewire.push.UpdateQueue.Entry;
import dev.pagewire.push.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A Server-Sent Events stream: every queued update is written as an event whose id is its number,
 * as soon as the socket takes it. Updates stay queued until the page acknowledges them.
 *
 * <p><b>Threading.</b> Pushes wake it on their own thread; the encoding and writing runs on the
 * delivery executor, one run at a time ({@code scheduled}); heartbeats come from the housekeeper.
 * While the socket is full nothing more is encoded: the updates wait in the queue, which is
 * bounded, and when it overflows a stream that is still full is cut (a reader that stopped
 * reading must not hold memory). Writes never block.
 */
final class EventStream implements Waiter, AsyncOutput.Owner {
    /** A named event, not a comment: comments never reach the page, which watches for silence. */
    private static final byte[] HEARTBEAT = "event: hb\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);

    private static final VarHandle SCHEDULED = Flags.of(MethodHandles.lookup(), "scheduled");

    private final LivePage page;
    private final AsyncOutput output;
    private final HeldRequests held;
    private final Executor executor;
    private volatile boolean scheduled;
    private volatile boolean heartbeatDue;
    private volatile long sentUpTo; // written by one send at a time ("scheduled"); read by the queue

    EventStream(LivePage page, long ack, AsyncOutput output, HeldRequests held, Executor executor) {
        this.page = page;
        this.sentUpTo = ack;
        this.output = output;
        this.held = held;
        this.executor = executor;
    }

    void start() {
        Waiter previous = page.queue().replaceWaiter(this);
        if (previous != null) {
            previous.close();
        }
        output.write("retry: 5000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
        wake();
    }

    @Override
    public void updatesAvailable(boolean overflowed) {
        if (overflowed && !output.idle()) {
            output.abort(); // stalled reader: its queue overflowed while the socket was full
            return;
        }
        wake();
    }

    /**
     * A heartbeat is written by the sending run, after the updates it claims: one that says
     * {@code upTo} (a node's copy of the page) must never overtake an update at or below it.
     */
    @Override
    public void heartbeat() {
        if (output.idle()) {
            heartbeatDue = true;
            wake();
        }
    }

    /**
     * Ends the stream now. It is replaced only when the page has reconnected (so this connection
     * is dead or abandoned) and closed when the page ends: nothing here is worth waiting for,
     * and what was not acknowledged stays queued.
     */
    @Override
    public void close() {
        output.abort();
    }

    @Override
    public void finished() {
        page.queue().removeWaiter(this);
        page.touch();
        held.release(page.httpKey());
    }

    @Override
    public long written() {
        return sentUpTo;
    }

    @Override
    public void drained() {
        wake();
    }

    private void wake() {
        if (SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this::send);
        }
    }

    private void send() {
        try {
            if (output.isFinished() || !output.idle()) {
                return; // onDrained wakes us when the socket has taken what it has
            }
            UpdateQueue.Slice pending = page.queue().pending(sentUpTo);
            List<Entry> updates = pending.updates();
            boolean beat = heartbeatDue;
            heartbeatDue = false;
            if (!updates.isEmpty()) {
                sentUpTo = updates.get(updates.size() - 1).seq();
                output.write(UpdateFormat.events(updates));
            }
            if (beat) {
                output.write(pending.upTo() > 0 ? ("event: hb\ndata: {\"upTo\":" + pending.upTo() + "}\n\n")
                        .getBytes(StandardCharsets.UTF_8) : HEARTBEAT);
            }
        } finally {
            scheduled = false;
        }
        if (page.queue().hasAfter(sentUpTo) && output.idle() && !output.isFinished()) {
            wake(); // appended while we were sending
        }
    }
}
