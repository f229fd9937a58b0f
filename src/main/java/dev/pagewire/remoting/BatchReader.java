package dev.pagewire.remoting;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import dev.pagewire.web.Refusal;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes {@code {"calls":[{"id":1,"proxy":"P","method":"m","args":[...]}], "ack":N, "batch":B}} in one
 * streaming pass. Arguments are kept as JSON trees: they are converted only once the method, and
 * so the declared types, are known, and a bad argument then fails its call alone.
 *
 * <p>Refuses, as a whole, bodies that are not JSON of this shape, nest deeper than the limit,
 * hold more calls than the limit or repeat a key in any object (the envelope's or an argument's).
 * Stateless and thread-safe.
 */
public final class BatchReader {
    /** Gson's tree reader, used for numbers alone: it keeps them as text until converted. */
    private static final TypeAdapter<JsonElement> NUMBERS = new Gson().getAdapter(JsonElement.class);
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
        long number = -1;
        Set<String> names = new HashSet<>();
        in.beginObject();
        while (in.hasNext()) {
            switch (uniqueName(in, names)) {
                case "calls" -> calls = readCalls(in);
                case "ack" -> {
                    ack = wholeNumber(in, "ack");
                    if (ack < 0) {
                        throw Refusal.malformed("\"ack\" must not be negative");
                    }
                }
                case "batch" -> {
                    number = wholeNumber(in, "batch");
                    if (number < 0) {
                        throw Refusal.malformed("\"batch\" must not be negative");
                    }
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (calls == null) {
            throw Refusal.malformed("the body has no \"calls\" array");
        }
        return new CallBatch(calls, ack, number);
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
        boolean sawArgs = false;
        Set<String> others = null; // names besides the four, made only if a call has any
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            switch (name) {
                case "id" -> id = once(id == null, name) ? wholeNumber(in, "id") : id;
                case "proxy" -> proxy = once(proxy == null, name) ? string(in, "proxy") : proxy;
                case "method" -> method = once(method == null, name) ? string(in, "method") : method;
                case "args" -> {
                    sawArgs = once(!sawArgs, name);
                    args = readArgs(in);
                }
                default -> {
                    others = others == null ? new HashSet<>() : others;
                    once(others.add(name), name);
                    in.skipValue();
                }
            }
        }
        in.endObject();
        if (id == null || proxy == null || method == null) {
            throw Refusal.malformed("every call needs \"id\", \"proxy\" and \"method\"");
        }
        return new Call(id, proxy, method, args == null ? new JsonArray() : args);
    }

    /** {@code true} if the member {@code name} is met for the first time ({@code first}); refused otherwise. */
    private static boolean once(boolean first, String name) {
        if (!first) {
            throw duplicate(name);
        }
        return true;
    }

    private static JsonArray readArgs(JsonReader in) throws IOException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            throw Refusal.malformed("\"args\" must be an array");
        }
        return readValue(in).getAsJsonArray();
    }

    /** A JSON tree, like gson's {@code JsonParser}, but refusing an object with a repeated key. */
    private static JsonElement readValue(JsonReader in) throws IOException {
        return switch (in.peek()) {
            case BEGIN_ARRAY -> readArray(in);
            case BEGIN_OBJECT -> readObject(in);
            case STRING -> new JsonPrimitive(in.nextString());
            case NUMBER -> NUMBERS.read(in); // lazily parsed: converted once the declared type is known
            case BOOLEAN -> new JsonPrimitive(in.nextBoolean());
            case NULL -> nullValue(in);
            default -> throw Refusal.malformed("malformed JSON body: unexpected " + in.peek());
        };
    }

    private static JsonArray readArray(JsonReader in) throws IOException {
        JsonArray array = new JsonArray();
        in.beginArray();
        while (in.hasNext()) {
            array.add(readValue(in));
        }
        in.endArray();
        return array;
    }

    private static JsonObject readObject(JsonReader in) throws IOException {
        JsonObject object = new JsonObject();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (object.has(name)) {
                throw duplicate(name);
            }
            object.add(name, readValue(in));
        }
        in.endObject();
        return object;
    }

    private static JsonNull nullValue(JsonReader in) throws IOException {
        in.nextNull();
        return JsonNull.INSTANCE;
    }

    /** The next member's name, refused if the object had it already: which one wins is no guess to leave. */
    private static String uniqueName(JsonReader in, Set<String> seen) throws IOException {
        String name = in.nextName();
        if (!seen.add(name)) {
            throw duplicate(name);
        }
        return name;
    }

    private static Refusal duplicate(String name) {
        return Refusal.malformed("the key \"" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                + "\" appears twice in one object");
    }

    private static long wholeNumber(JsonReader in, String name) throws IOException {
        if (in.peek() != JsonToken.NUMBER) {
            throw Refusal.malformed("\"" + name + "\" must be a number");
        }
        String text = in.nextString();
        if (isPlainDigits(text)) {
            return Long.parseLong(text); // an id as the engine sends it, without a BigDecimal
        }
        try {
            return new java.math.BigDecimal(text).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw Refusal.malformed("\"" + name + "\" must be a whole number that fits in 64 bits");
        }
    }

    /** 1 to 18 digits, no sign, no leading zero: a long as it is. */
    private static boolean isPlainDigits(String text) {
        if (text.isEmpty() || text.length() > 18 || (text.charAt(0) == '0' && text.length() > 1)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
