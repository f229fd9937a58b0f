package dev.pagewire.push;

import com.google.gson.stream.JsonWriter;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.ValueCheck;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

/**
 * Encodes a push once into the JSON fragment every target page shares:
 * {@code "call":"chatUi.addMessage","args":[...]} or {@code "script":"..."}. Arguments convert by
 * the rules of results: typed pushes by their declared types, checked once per page interface;
 * untyped ones by their runtime classes, checked at each push by {@link ValueCheck}.
 * Thread-safe.
 */
final class UpdateEncoder {
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private final JsonCodec codec;
    private final ValueCheck values;
    private final long maxChars;

    UpdateEncoder(JsonCodec codec, ValueCheck values, long maxChars) {
        this.codec = codec;
        this.values = values;
        this.maxChars = maxChars;
    }

    /**
     * @param types declared types of the arguments (checked when the page interface was), or
     *              {@code null}: then each argument is checked by its runtime classes
     * @throws IllegalArgumentException for a bad function name, an argument that is not
     *                                  convertible, or an update larger than a queue may hold
     */
    String call(String function, Object[] args, Type[] types) {
        if (function == null || !FUNCTION.matcher(function).matches()) {
            throw new IllegalArgumentException("not a JavaScript function name: " + function);
        }
        return fragment(json(w -> {
            w.beginObject().name("call").value(function).name("args").beginArray();
            for (int i = 0; i < args.length; i++) {
                String what = "argument " + i + " of " + function;
                write(w, args[i], types != null ? types[i] : checked(args[i], what), what);
            }
            w.endArray().endObject();
        }));
    }

    /**
     * {@code "topic":"/stocks/ACME","time":...,"data":...}, with {@code "key"} and {@code
     * "version"} for a conflated value ({@code key} not null; no {@code "version"} when {@code
     * version} is 0: a backend stamps it).
     *
     * @param time the server's time of the publish, ms since the epoch
     * @param type the declared type of {@code data}, or {@code null}: checked by its runtime classes
     * @throws IllegalArgumentException if {@code data} is not convertible or too large
     */
    String topic(String topic, String key, long version, long time, Object data, Type type) {
        String what = "data of topic " + topic;
        return fragment(json(w -> {
            w.beginObject().name("topic").value(topic);
            if (key != null) {
                w.name("key").value(key);
            }
            if (version > 0) {
                w.name("version").value(version);
            }
            w.name("time").value(time).name("data");
            write(w, data, type != null ? type : checked(data, what), what);
            w.endObject();
        }));
    }

    /** {@code value}'s runtime class, once {@code value} passed the allow-list. */
    private Type checked(Object value, String what) {
        String why = values.rejection(value);
        if (why != null) {
            throw new IllegalArgumentException("cannot push " + what + " (" + value.getClass().getName() + "): "
                    + why + "; push arguments follow the same rules as remote methods' results");
        }
        return value == null ? Object.class : value.getClass();
    }

    private void write(JsonWriter w, Object value, Type type, String what) throws IOException {
        try {
            codec.write(w, value, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot push " + what + " ("
                    + (value == null ? "null" : value.getClass().getName()) + "): " + e.getMessage(), e);
        }
    }

    /** {@code "script":"..."}: the whole script as one JSON string. */
    String script(String script) {
        return fragment(json(w -> w.beginObject().name("script").value(script).endObject()));
    }

    /** JSON for a value inside a script: HTML-significant characters are escaped by gson. */
    String literal(Object value) {
        return json(w -> {
            w.setHtmlSafe(true);
            write(w, value, checked(value, "script data"), "script data");
        }).toString();
    }

    /** What {@code body} writes, in a buffer (which cannot fail with an I/O error). */
    private static StringWriter json(JsonBody body) {
        StringWriter out = new StringWriter();
        try {
            JsonWriter w = new JsonWriter(out);
            body.write(w);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private interface JsonBody {
        void write(JsonWriter w) throws IOException;
    }

    private String fragment(StringWriter out) {
        StringBuffer b = out.getBuffer();
        String fragment = b.substring(1, b.length() - 1); // without the braces: "seq" goes first
        if (fragment.length() > maxChars) {
            throw new IllegalArgumentException("an update of " + fragment.length()
                    + " characters is larger than a page's queue may hold (maxQueuedChars " + maxChars + ")");
        }
        return fragment;
    }
}
