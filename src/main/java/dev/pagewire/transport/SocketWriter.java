package dev.pagewire.transport;

import dev.pagewire.push.LivePage;
import dev.pagewire.push.UpdateQueue;
import dev.pagewire.push.UpdateQueue.Entry;
import dev.pagewire.push.Waiter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The one writer of a page's WebSocket: the page's updates, call replies and heartbeats go out
 * through it as text frames, one at a time (docs/PROTOCOL.md, WebSocket). It is the page's
 * {@link Waiter}, like a Comet poll or an SSE stream, so pushes reach it through the same queue,
 * numbering, acknowledgement and resend.
 *
 * <p><b>Threading.</b> Pushes wake it on their own thread; replies are offered by the thread that
 * finished a batch (a container thread, or one completing an asynchronous method), which writes
 * the reply itself with the container's blocking send when the socket is free (bounded by the
 * container's blocking send timeout); heartbeats come from the housekeeper. Otherwise the writing
 * runs on the delivery executor, one run at a time ({@code scheduled}), with at most one frame in
 * flight ({@code sending}): the container's completion of that frame schedules the next run, and
 * nothing there blocks. Updates are not copied into the socket: each run takes what the page's
 * queue holds above what it wrote, so a burst becomes one frame, and updates go before replies,
 * so a reply's callback sees what was pushed before it.
 *
 * <p><b>Slow readers.</b> Replies wait in a queue bounded by {@code maxQueuedChars}. A socket whose
 * reply queue is full, or whose frame the container has not written within the send timeout, has
 * a reader that does not keep up: it is closed with {@link #SLOW_READER}, and the page comes back
 * with its {@code ack} and gets every unacknowledged update again. A burst that overflows the
 * page's queue is a resync, as in every mode, not a cut.
 */
public final class SocketWriter implements Waiter {
    /** Close code for a reader that does not keep up; the page reconnects later and loses nothing. */
    public static final int SLOW_READER = 4001;
    /** Close code when the server ends the socket: the page ended, or another transport replaced it. */
    public static final int CLOSED_BY_SERVER = 4000;

    /** Where the frames go: the container's socket. */
    public interface Output {
        /** Sends one text frame without blocking; {@code done} gets null or the failure, on any thread. */
        void send(String frame, Consumer<Throwable> done);

        /** Closes the socket with {@code code} and {@code reason}; may block briefly. */
        void close(int code, String reason);

        /**
         * Sends one text frame now, blocking this thread while the container takes it (briefly:
         * the container's blocking send timeout bounds it); false, with nothing sent, when the
         * socket has another frame in flight or cannot send this way.
         *
         * @throws IOException when the frame could not be written
         */
        default boolean sendNow(String frame) throws IOException {
            return false;
        }
    }

    private static final VarHandle SCHEDULED = Flags.of(MethodHandles.lookup(), "scheduled");
    private static final VarHandle CLOSED = Flags.of(MethodHandles.lookup(), "closed");
    /** The most frames a replying thread writes itself; the rest go to a delivery thread. */
    private static final int INLINE_FRAMES = 4;
    /** About the most characters of updates one frame carries. */
    private static final int FRAME_CHARS = 64 * 1024;

    private final LivePage page;
    private final Output output;
    private final Executor executor;
    private final long maxQueuedChars;
    private final long sendTimeoutNanos;
    private final LongAdder written; // characters of frames sent (bytes for ASCII)
    private volatile Replies replies; // made at the first reply: a page that makes no call has none
    private volatile boolean scheduled;
    private volatile boolean closed;
    private volatile String greeting; // the first frame, before any update
    private volatile boolean sending;
    private volatile long sendingSince;
    private volatile boolean heartbeatDue;
    private volatile long sentUpTo; // written by one run at a time ("scheduled"); read by the queue

    SocketWriter(LivePage page, long ack, Output output, Executor executor,
                 long maxQueuedChars, long sendTimeoutMillis, LongAdder written) {
        this.written = written;
        this.page = page;
        this.sentUpTo = ack;
        this.output = output;
        this.executor = executor;
        this.maxQueuedChars = maxQueuedChars;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    }

    /** Becomes the page's waiter and sends {@code greeting}, then every update above the page's ack. */
    void start(String greeting) {
        this.greeting = greeting;
        Waiter previous = page.queue().replaceWaiter(this);
        if (previous != null) {
            previous.close();
        }
        wake();
    }

    /**
     * Queues a frame (a call's reply) behind the updates queued by now, and writes it at once on
     * this thread when the socket is free (no frame in flight, no run under way).
     * A reader that lets replies pile up beyond the bound is closed.
     */
    public void reply(String frame) {
        if (closed) {
            return;
        }
        Replies waiting = replies();
        if (waiting.chars.addAndGet(frame.length()) > maxQueuedChars) {
            closeSlow("replies waiting beyond " + maxQueuedChars + " characters");
            return;
        }
        waiting.frames.add(frame);
        if (!closed && SCHEDULED.compareAndSet(this, false, true)) {
            runHere();
        }
    }

    /**
     * A run on the replying thread, which writes the reply itself (and the updates queued before
     * it, first) with the container's blocking send, so the reply does not wait for a delivery
     * thread nor the container's completion for another of its threads. A socket busy with a
     * frame of another page it carries takes the frame asynchronously, as a run would.
     */
    private void runHere() {
        try {
            for (int frames = 0; frames < INLINE_FRAMES && !sending && !closed; frames++) {
                String frame = takeFrame();
                if (frame == null) {
                    break;
                }
                boolean sent;
                try {
                    sent = output.sendNow(frame);
                } catch (IOException | RuntimeException e) {
                    sending = false;
                    closeSlow(e.getClass().getSimpleName());
                    return;
                }
                if (!sent) {
                    output.send(frame, this::sent);
                    return;
                }
                sending = false;
            }
        } finally {
            scheduled = false;
        }
        if (!sending && hasWork()) {
            wake(); // pushed meanwhile, or more than this thread writes
        }
    }

    /**
     * Wakes the writer. An overflow (the page gets a resync) does not close the socket: the writer
     * copies nothing out of the queue beyond the one frame in flight, so a burst holds no more
     * memory here, and a reader that stopped is cut by the send timeout.
     */
    @Override
    public void updatesAvailable(boolean overflowed) {
        wake();
    }

    /** A heartbeat on an idle socket; a frame in flight past the send timeout means a slow reader. */
    @Override
    public void heartbeat() {
        if (sending && System.nanoTime() - sendingSince > sendTimeoutNanos) {
            closeSlow("a frame not taken within the send timeout");
        } else if (!sending) {
            heartbeatDue = true;
            wake();
        }
    }

    /** The page ended or another transport replaced this one. */
    @Override
    public void close() {
        closeWith(CLOSED_BY_SERVER, "closed by the server");
    }

    @Override
    public long written() {
        return sentUpTo;
    }

    /** The socket closed: the page no longer waits here. Called once, by the socket. */
    public void finished() {
        closed = true;
        page.queue().removeWaiter(this);
        page.touch();
    }

    private void closeSlow(String why) {
        closeWith(SLOW_READER, "SLOW_READER: " + why);
    }

    private void closeWith(int code, String reason) {
        if (CLOSED.compareAndSet(this, false, true)) {
            executor.execute(() -> output.close(code, reason)); // never on a pushing thread
        }
    }

    private void wake() {
        if (!closed && SCHEDULED.compareAndSet(this, false, true)) {
            executor.execute(this::run);
        }
    }

    private void run() {
        try {
            if (sending || closed) {
                return; // the frame in flight wakes us when it is written
            }
            String frame = takeFrame();
            if (frame != null) {
                output.send(frame, this::sent);
            }
        } finally {
            scheduled = false;
        }
        if (!sending && hasWork()) {
            wake(); // queued while this run was busy, or the frame was written at once
        }
    }

    /**
     * The container wrote the frame in flight (or failed to). A push that came meanwhile found the
     * frame in flight and left its update queued: {@code sending} is cleared before the queue is
     * looked at, so either that push's run or this check sends it.
     */
    private void sent(Throwable failure) {
        sending = false;
        if (failure != null) {
            closeSlow(failure.getClass().getSimpleName());
            return;
        }
        if (hasWork()) {
            wake();
        }
    }

    /** The next frame, now in flight ({@code sending}), or null when there is none. */
    private String takeFrame() {
        String frame = nextFrame();
        if (frame != null) {
            sending = true;
            sendingSince = System.nanoTime();
            written.add(frame.length());
        }
        return frame;
    }

    /** Updates first (after the greeting), then replies, then a due heartbeat. */
    private String nextFrame() {
        String first = greeting;
        if (first != null) {
            greeting = null;
            return first;
        }
        UpdateQueue.Slice pending = page.queue().pending(sentUpTo);
        if (!pending.updates().isEmpty()) {
            UpdateQueue.Slice part = firstFrameOf(pending);
            List<Entry> updates = part.updates();
            sentUpTo = updates.get(updates.size() - 1).seq();
            heartbeatDue = false;
            return UpdateFormat.socketFrame("updates", part);
        }
        Replies waiting = replies;
        String reply = waiting == null ? null : waiting.frames.poll();
        if (reply != null) {
            waiting.chars.addAndGet(-reply.length());
            return reply;
        }
        if (heartbeatDue) {
            heartbeatDue = false;
            return UpdateFormat.socketFrame("hb", pending);
        }
        return null;
    }

    /**
     * The updates of one frame: about {@link #FRAME_CHARS} characters at most (at least one update),
     * so that a long backlog goes out in frames a reader takes one at a time. A cut slice carries
     * no {@code upTo}, which speaks for the whole slice.
     */
    private static UpdateQueue.Slice firstFrameOf(UpdateQueue.Slice pending) {
        List<Entry> updates = pending.updates();
        long chars = 0;
        for (int i = 0; i < updates.size(); i++) {
            chars += updates.get(i).fragment().length() + 16;
            if (chars > FRAME_CHARS && i > 0) {
                return new UpdateQueue.Slice(updates.subList(0, i), 0);
            }
        }
        return pending;
    }

    private boolean hasWork() {
        Replies waiting = replies;
        return greeting != null || (waiting != null && !waiting.frames.isEmpty()) || heartbeatDue
                || page.queue().hasAfter(sentUpTo);
    }

    private synchronized Replies replies() {
        if (replies == null) {
            replies = new Replies();
        }
        return replies;
    }

    /** Call replies waiting for the socket, and their characters. */
    private static final class Replies {
        final Queue<String> frames = new ConcurrentLinkedQueue<>();
        final AtomicLong chars = new AtomicLong();
    }
}
