package dev.pagewire.transport;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a held response, written without ever blocking a thread: chunks wait in a queue
 * until the container says the socket can take more ({@link WriteListener}). Nothing is flushed
 * before there is something to write, so a parked Comet poll sends nothing (not even its
 * headers) until its reply, which then goes out in one piece with a length.
 *
 * <p><b>Threading.</b> Any thread may {@link #write} or {@link #completeAfterWrites}; the
 * container calls {@link #onWritePossible} on its own threads. Whoever calls {@link #pump()}
 * writes, under a lock that writers only <em>try</em>: a writer that finds it taken leaves a note
 * and the holder writes again before it leaves, so writers never queue up behind a slow socket
 * (writes are non-blocking, so the lock is held only for in-memory copies). The request ends
 * exactly once, under that same lock: one atomic flag decides between completion, timeout, error
 * and abort, no write is under way when it ends and none starts after (the container recycles
 * the response for other connections), and {@code onFinished} runs once, after it.
 */
final class AsyncOutput implements WriteListener, AsyncListener {
    /** The held request this output carries (a Comet poll, a stream). */
    interface Owner {
        /** Runs once when the request has ended, however it ended. */
        void finished();

        /** Runs (on a container thread) when the socket took everything queued after having been full. */
        default void drained() {
        }

        /**
         * The request's timeout passed (on a container thread). Returns whether the owner answered
         * it; if not, the request is ended at once.
         */
        default boolean timedOut() {
            return false;
        }
    }

    private static final VarHandle FINISHED = Flags.of(MethodHandles.lookup(), "finished");

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean again;
    private volatile boolean finished;
    private volatile boolean completeWhenDrained;
    private boolean unflushed; // guarded by lock
    private volatile Owner owner;
    private final LongAdder written;

    private AsyncOutput(AsyncContext async, ServletOutputStream out, LongAdder written) {
        this.async = async;
        this.out = out;
        this.written = written;
    }

    /**
     * Puts the request in async mode; the response's headers must already be set. {@code written}
     * counts the bytes handed to the container.
     */
    static AsyncOutput start(HttpServletRequest request, HttpServletResponse response, long timeoutMillis,
                             LongAdder written) throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        AsyncOutput output = new AsyncOutput(async, response.getOutputStream(), written);
        async.addListener(output);
        // Registered on the request's thread: registered later from another thread, Tomcat would
        // run its whole dispatch (and the connection's next request) on that thread.
        output.out.setWriteListener(output);
        return output;
    }

    /** Who is told when the request ends and when the socket drains; set before the first write. */
    void owner(Owner owner) {
        this.owner = owner;
    }

    /** Queues {@code bytes} and writes what the socket takes now. */
    void write(byte[] bytes) {
        if (!finished) {
            pending.add(bytes);
            pump();
        }
    }

    /** Whether everything written so far has been handed to the container. */
    boolean idle() {
        return pending.isEmpty();
    }

    boolean isFinished() {
        return finished;
    }

    /** Completes the response once every queued chunk is written. */
    void completeAfterWrites() {
        completeWhenDrained = true;
        pump();
    }

    /**
     * The whole body, then the end: sent with a {@code Content-Length} (no chunk framing) when
     * nothing was written before, as a Comet reply is.
     */
    void writeWhole(byte[] body) {
        if (!finished) {
            lock.lock();
            try {
                if (pending.isEmpty() && !unflushed && !async.getResponse().isCommitted()) {
                    async.getResponse().setContentLength(body.length);
                }
            } finally {
                lock.unlock();
            }
            pending.add(body);
            completeAfterWrites();
        }
    }

    /** Ends the request now, dropping anything not yet written. */
    void abort() {
        finish();
    }

    private void pump() {
        do {
            if (!lock.tryLock()) {
                again = true; // the holder will pump once more before it leaves
                return;
            }
            try {
                again = false;
                drain();
            } finally {
                lock.unlock();
            }
        } while (again);
    }

    private void drain() {
        if (finished) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] next = pending.poll();
                if (next != null) {
                    out.write(next);
                    written.add(next.length);
                    unflushed = true;
                } else if (unflushed) {
                    unflushed = false;
                    out.flush(); // one flush per batch: the chunks go out together
                } else {
                    if (completeWhenDrained) {
                        finish();
                    }
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            finish(); // the page left; whatever was not acknowledged stays queued for it
        }
    }

    /**
     * Ends the request, under the write lock: once the container has completed a request it
     * recycles the response for another connection, so no write may be under way or follow.
     */
    private void finish() {
        boolean first;
        lock.lock();
        try {
            first = FINISHED.compareAndSet(this, false, true);
            if (first) {
                try {
                    async.complete();
                } catch (IllegalStateException alreadyOver) {
                    // the container ended the request first (error, timeout): nothing left to complete
                }
            }
        } finally {
            lock.unlock();
        }
        Owner o = owner;
        if (first && o != null) {
            o.finished();
        }
    }

    @Override
    public void onWritePossible() {
        pump();
        Owner o = owner;
        if (idle() && !finished && o != null) {
            o.drained();
        }
    }

    @Override
    public void onError(Throwable t) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        Owner o = owner;
        if (o == null || !o.timedOut()) {
            finish();
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
