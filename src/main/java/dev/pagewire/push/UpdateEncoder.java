package dev.pagewire.push;

import com.google.gson.stream.JsonWriter;
import dev.pagewire.convert.JsonCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

/**
 * Encodes a push once into the JSON fragment every target session shares:
 * {@code "call":"chatUi.addMessage","args":[...]} or {@code "script":"..."}.
 * Thread-safe.
 */
final class UpdateEncoder {
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private final JsonCodec codec;
    private final long maxChars;

    UpdateEncoder(JsonCodec codec, long maxChars) {
        this.codec = codec;
        this.maxChars = maxChars;
    }

    /**
     * @param types declared types of the arguments, or {@code null} to use their runtime classes
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
                Object arg = args[i];
                try {
                    codec.write(w, arg, types != null ? types[i] : arg == null ? Object.class : arg.getClass());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot push argument " + i + " of " + function + " ("
                            + (arg == null ? "null" : arg.getClass().getName()) + "): it is not convertible; "
                            + "use records, @DataTransferObject classes or the types listed in the docs", e);
                }
            }
            w.endArray().endObject();
        }));
    }

    /** {@code "script":"..."}: the whole script as one JSON string. */
    String script(String script) {
        return fragment(json(w -> w.beginObject().name("script").value(script).endObject()));
    }

    /** JSON for a value inside a script: HTML-significant characters are escaped by gson. */
    String literal(Object value) {
        return json(w -> {
            w.setHtmlSafe(true);
            codec.write(w, value, value == null ? Object.class : value.getClass());
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
                    + " characters is larger than a page's queue may hold (maxQueuedBytes " + maxChars + ")");
        }
        return fragment;
    }
}
