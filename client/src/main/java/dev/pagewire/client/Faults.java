package dev.pagewire.client;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns the server's error objects and the client's own failures into {@link PagewireCallException}s. */
final class Faults {
    private Faults() {
    }

    /** {@code {"code": ..., "message": ..., "name": ..., "incident": ...}} as an exception. */
    static PagewireCallException read(JsonObject error) {
        String code = Page.string(error, "code");
        String message = Page.string(error, "message");
        return new PagewireCallException(code == null ? "INTERNAL" : code, message == null ? "" : message,
                Page.string(error, "name"), Page.string(error, "incident"), null);
    }

    /** What a failed request or stage threw, as an exception with a code: {@code NETWORK} unless it has one. */
    static PagewireCallException of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PagewireCallException known) {
            return known;
        }
        if (cause instanceof HttpTimeoutException) {
            return new PagewireCallException("TIMEOUT", "no reply within the call timeout", null, null, cause);
        }
        String what = cause instanceof IOException ? "network error: " : "failed: ";
        return new PagewireCallException("NETWORK", what + cause, null, null, cause);
    }

    /** The cause a {@link CompletionException} or {@link ExecutionException} wraps. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
