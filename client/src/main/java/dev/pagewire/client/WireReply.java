package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A reply of the server: its status, its JSON body (null when the body is not a JSON object) and
 * its {@code Retry-After} in seconds (0 when absent).
 */
record WireReply(int status, JsonObject body, long retryAfterSeconds) {
    /** A 2xx status. */
    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The refusal this reply carries: its {@code error} code and message, or one made of its status. */
    PagewireCallException refusal() {
        JsonElement error = body == null ? null : body.get("error");
        if (error != null && error.isJsonObject()) {
            return Faults.read(error.getAsJsonObject());
        }
        return new PagewireCallException(status >= 500 ? "INTERNAL" : "HTTP_" + status, "the server answered " + status);
    }

    /** Worth trying again later: server trouble or too many requests, not a refusal of this request. */
    boolean isTransient() {
        return status >= 500 || status == 408 || status == 429 || body == null;
    }
}
