package dev.pagewire.remoting;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dev.pagewire.web.Refusal;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code {"calls":[{"id":1,"proxy":"P","method":"m","args":[...]}], "ack":N}} in one
 * streaming pass. Arguments are kept as JSON trees: they are converted only once the method, and
 * so the declared types, are known, and a bad argument then fails its call alone.
 *
 * <p>Refuses, as a whole, bodies that are not JSON of this shape, nest deeper than the limit or
 * hold more calls than the limit. Stateless and thread-safe.
 */
public final class BatchReader {
    private final int maxDepth;
    private final int maxCalls;

    public BatchReader(int maxDepth, int maxCalls) {
        this.maxDepth = maxDepth;
        this.maxCalls = maxCalls;
    }

    /** @throws Refusal {@code MALFORMED} or {@code TOO_MANY_CALLS} */
    public CallBatch read(Reader body) throws IOException {
        JsonReader in = new JsonReader(body);
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(maxDepth);
        try {
            CallBatch batch = readBatch(in);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw Refusal.malformed("unexpected content after the JSON body");
            }
            return batch;
        } catch (MalformedJsonException | JsonParseException | IllegalStateException
                 | NumberFormatException | java.io.EOFException e) {
            throw Refusal.malformed(describe(e));
        }
    }

    private CallBatch readBatch(JsonReader in) throws IOException {
        List<Call> calls = null;
        long ack = -1;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "calls" -> calls = readCalls(in);
                case "ack" -> {
                    ack = wholeNumber(in, "ack");
                    if (ack < 0) {
                        throw Refusal.malformed("\"ack\" must not be negative");
                    }
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (calls == null) {
            throw Refusal.malformed("the body has no \"calls\" array");
        }
        return new CallBatch(calls, ack);
    }

    private List<Call> readCalls(JsonReader in) throws IOException {
        List<Call> calls = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            if (calls.size() == maxCalls) {
                throw new Refusal(400, "TOO_MANY_CALLS", "a batch may hold at most " + maxCalls + " calls");
            }
            calls.add(readCall(in));
        }
        in.endArray();
        return calls;
    }

    private Call readCall(JsonReader in) throws IOException {
        Long id = null;
        String proxy = null;
        String method = null;
        JsonArray args = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "id" -> id = wholeNumber(in, "id");
                case "proxy" -> proxy = string(in, "proxy");
                case "method" -> method = string(in, "method");
                case "args" -> args = readArgs(in);
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (id == null || proxy == null || method == null) {
            throw Refusal.malformed("every call needs \"id\", \"proxy\" and \"method\"");
        }
        return new Call(id, proxy, method, args == null ? new JsonArray() : args);
    }

    private static JsonArray readArgs(JsonReader in) {
        JsonElement args = JsonParser.parseReader(in);
        if (!args.isJsonArray()) {
            throw Refusal.malformed("\"args\" must be an array");
        }
        return args.getAsJsonArray();
    }

    private static long wholeNumber(JsonReader in, String name) throws IOException {
        if (in.peek() != JsonToken.NUMBER) {
            throw Refusal.malformed("\"" + name + "\" must be a number");
        }
        try {
            return new java.math.BigDecimal(in.nextString()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw Refusal.malformed("\"" + name + "\" must be a whole number that fits in 64 bits");
        }
    }

    private static String string(JsonReader in, String name) throws IOException {
        if (in.peek() != JsonToken.STRING) {
            throw Refusal.malformed("\"" + name + "\" must be a string");
        }
        return in.nextString();
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof JsonParseException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage() == null ? "not valid JSON" : t.getMessage();
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "not valid JSON");
        if (t instanceof java.io.EOFException) {
            m = m.replace("End of input", "unexpected end of input");
        }
        int see = m.indexOf("\nSee ");
        m = see < 0 ? m : m.substring(0, see);
        return "malformed JSON body: " + (m.length() > 200 ? m.substring(0, 200) + "..." : m);
    }
}
