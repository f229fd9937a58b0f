package dev.pagewire.remoting;

import com.google.gson.JsonArray;

/** One call as the page sent it; {@code args} are still JSON. */
public record Call(long id, String proxy, String method, JsonArray args) {
}
