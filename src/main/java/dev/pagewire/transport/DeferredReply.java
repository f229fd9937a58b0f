package dev.pagewire.transport;

import dev.pagewire.remoting.Incidents;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A reply that is not known when the request's thread leaves, such as that of a batch whose
 * calls return {@link java.util.concurrent.CompletionStage}s: the request goes async, holding no
 * thread, and the body goes out later in one non-blocking write with a {@code Content-Length}.
 *
 * <p><b>Threading.</b> Started on the request's thread, which must register whatever will
 * {@link #send} before it leaves. {@link #send} runs once, on any thread; the timeout handler runs
 * on a container thread and is expected to lead to {@link #send}. The request ends exactly once
 * ({@link AsyncOutput}), also when the page has left or the body cannot be made.
 */
public final class DeferredReply implements AsyncOutput.Owner {
    private final AsyncOutput output;
    private final Runnable onTimeout;

    private DeferredReply(AsyncOutput output, Runnable onTimeout) {
        this.output = output;
        this.onTimeout = onTimeout;
    }

    /**
     * Puts the request in async mode for at most {@code timeoutMillis}, after which {@code
     * onTimeout} runs; the response's status and headers must already be set.
     */
    public static DeferredReply start(HttpServletRequest request, HttpServletResponse response, long timeoutMillis,
                                      Runnable onTimeout, LongAdder written) throws IOException {
        AsyncOutput output = AsyncOutput.start(request, response, timeoutMillis, written);
        DeferredReply reply = new DeferredReply(output, onTimeout);
        output.owner(reply);
        return reply;
    }

    /** Writes the body {@code json} makes (UTF-8) and ends the request; a body that fails to be made ends it at once. */
    public void send(Supplier<String> json) {
        try {
            output.writeWhole(json.get().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            Incidents.log("writing a deferred reply", e);
            output.abort();
        }
    }

    @Override
    public boolean timedOut() {
        onTimeout.run();
        return true;
    }

    @Override
    public void finished() {
        // nothing held besides the request
    }
}
