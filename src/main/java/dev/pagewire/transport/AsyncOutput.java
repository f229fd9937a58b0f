package dev.pagewire.transport;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean completeWhenDrained;
    private boolean unflushed; // guarded by lock
    private volatile Runnable onDrained = () -> { };
    private volatile Runnable onFinished = () -> { };

    private AsyncOutput(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /** Puts the request in async mode; the response's headers must already be set. */
    static AsyncOutput start(HttpServletRequest request, HttpServletResponse response, long timeoutMillis)
            throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        AsyncOutput output = new AsyncOutput(async, response.getOutputStream());
        async.addListener(output);
        // Registered on the request's thread: registered later from another thread, Tomcat would
        // run its whole dispatch (and the connection's next request) on that thread.
        output.out.setWriteListener(output);
        return output;
    }

    /** Runs once when the request has ended, however it ended. */
    void onFinished(Runnable action) {
        this.onFinished = action;
    }

    /** Runs (on a container thread) when the socket took everything queued after having been full. */
    void onDrained(Runnable action) {
        this.onDrained = action;
    }

    /** Queues {@code bytes} and writes what the socket takes now. */
    void write(byte[] bytes) {
        if (!finished.get()) {
            pending.add(bytes);
            pump();
        }
    }

    /** Whether everything written so far has been handed to the container. */
    boolean idle() {
        return pending.isEmpty();
    }

    boolean isFinished() {
        return finished.get();
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
        if (!finished.get()) {
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
                again.set(true); // the holder will pump once more before it leaves
                return;
            }
            try {
                again.set(false);
                drain();
            } finally {
                lock.unlock();
            }
        } while (again.get());
    }

    private void drain() {
        if (finished.get()) {
            return;
        }
        try {
            while (out.isReady()) {
                byte[] next = pending.poll();
                if (next != null) {
                    out.write(next);
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
            first = finished.compareAndSet(false, true);
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
        if (first) {
            onFinished.run();
        }
    }

    @Override
    public void onWritePossible() {
        pump();
        if (idle() && !finished.get()) {
            onDrained.run();
        }
    }

    @Override
    public void onError(Throwable t) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
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
