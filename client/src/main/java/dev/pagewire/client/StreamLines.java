package dev.pagewire.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of one SSE stream, handed from the HTTP client to the delivery thread one at a time:
 * the next line is asked of the connection only when the delivery thread took the last one, so
 * a slow handler slows the stream, and the server's queue holds what is not read yet.
 *
 * <p>Threading: the HTTP client's threads call the {@link Flow.Subscriber} methods; the delivery
 * thread calls {@link #next} and {@link #close}.
 */
final class StreamLines implements Flow.Subscriber<String> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private Flow.Subscription subscription; // guarded by this
    private boolean closed; // guarded by this

    /** The body handler: the lines of an event stream; any other reply ends the stream at once. */
    HttpResponse.BodySubscriber<Void> bodyFor(HttpResponse.ResponseInfo info) {
        String type = info.headers().firstValue("Content-Type").orElse("");
        if (info.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            arrived.add(new IOException("the stream was answered " + info.statusCode() + " " + type));
            return HttpResponse.BodySubscribers.replacing(null);
        }
        return HttpResponse.BodySubscribers.fromLineSubscriber(this);
    }

    /**
     * The next line, or null when none came within {@code millis}.
     *
     * @throws IOException when the stream ended or failed
     */
    String next(long millis) throws IOException, InterruptedException {
        Object item = arrived.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
        if (item == null) {
            return null;
        }
        if (item instanceof String line) {
            requestOne();
            return line;
        }
        arrived.add(item); // stays ended
        throw item == END ? new IOException("the stream ended") : (IOException) item;
    }

    /** Stops reading: the connection is given up. */
    void close() {
        Flow.Subscription toCancel;
        synchronized (this) {
            closed = true;
            toCancel = subscription;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        boolean cancel;
        synchronized (this) {
            subscription = given;
            cancel = closed;
        }
        if (cancel) {
            given.cancel();
        } else {
            given.request(1);
        }
    }

    @Override
    public void onNext(String line) {
        arrived.add(line);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure instanceof IOException io ? io : new IOException(failure));
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    private void requestOne() {
        Flow.Subscription current;
        synchronized (this) {
            current = closed ? null : subscription;
        }
        if (current != null) {
            current.request(1);
        }
    }
}
