package dev.pagewire.client;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Function;

/**
 * JSON as the wire protocol's "Types on the wire" table has it, with gson: {@code java.time}
 * values as ISO-8601 strings, {@code BigDecimal} and {@code BigInteger} as strings of the exact
 * value, and a {@code long} beyond ±(2^53 − 1), which a page's double would change, as a string
 * of digits (the server reads both). Thread-safe.
 */
final class WireJson {
    /** The largest integer a double holds exactly: {@code Number.MAX_SAFE_INTEGER}. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapterFactory(new IsoTimeAdapters())
            .registerTypeAdapter(Long.class, new SafeLongAdapter().nullSafe())
            .registerTypeAdapter(long.class, new SafeLongAdapter())
            .registerTypeAdapter(BigDecimal.class, new ExactStringAdapter<>(BigDecimal::new).nullSafe())
            .registerTypeAdapter(BigInteger.class, new ExactStringAdapter<>(BigInteger::new).nullSafe())
            .disableHtmlEscaping()
            .create();

    private WireJson() {
    }

    /** {@code value} as JSON. */
    static JsonElement write(Object value) {
        return GSON.toJsonTree(value);
    }

    /** {@code json} read as {@code type}; {@code null} for JSON {@code null}. */
    @SuppressWarnings("unchecked")
    static <T> T read(JsonElement json, Type type) {
        return (T) GSON.fromJson(json, TypeToken.get(type));
    }

    /** {@code json} read as {@code type}. */
    static <T> T read(JsonElement json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** The object a reply body holds, or null when it is not a JSON object. */
    static JsonObject parseObject(String body) {
        try {
            JsonElement json = JsonParser.parseString(body);
            return json.isJsonObject() ? json.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /** Writes a long as a number while a double holds it exactly, else as a string of digits. */
    private static final class SafeLongAdapter extends TypeAdapter<Long> {
        @Override
        public void write(JsonWriter out, Long value) throws IOException {
            if (Math.abs(value) <= MAX_SAFE_INTEGER) {
                out.value(value.longValue());
            } else {
                out.value(value.toString());
            }
        }

        @Override
        public Long read(JsonReader in) throws IOException {
            return in.nextLong(); // a number or a string of digits
        }
    }

    /** Writes a value as its exact string; reads it from a string or a number. */
    private static final class ExactStringAdapter<T> extends TypeAdapter<T> {
        private final Function<String, T> parse;

        ExactStringAdapter(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public T read(JsonReader in) throws IOException {
            String text = in.nextString(); // a number's text too
            try {
                return parse.apply(text);
            } catch (NumberFormatException e) {
                throw new JsonParseException("not a number: " + text, e);
            }
        }
    }

    /**
     * {@code java.time} values as their ISO-8601 {@code toString()}, read back with their
     * {@code parse(CharSequence)}: gson cannot reach into the JDK's classes by reflection.
     */
    private static final class IsoTimeAdapters implements TypeAdapterFactory {
        @Override
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (!raw.getPackageName().equals("java.time")) {
                return null;
            }
            Method parse = parseMethodOf(raw);
            return parse == null ? null : new IsoTimeAdapter<T>(parse).nullSafe();
        }

        private static Method parseMethodOf(Class<?> type) {
            try {
                Method parse = type.getMethod("parse", CharSequence.class);
                return Modifier.isStatic(parse.getModifiers()) ? parse : null;
            } catch (NoSuchMethodException e) {
                return null; // an enum such as DayOfWeek: gson's own adapter by name
            }
        }
    }

    private static final class IsoTimeAdapter<T> extends TypeAdapter<T> {
        private final Method parse;

        IsoTimeAdapter(Method parse) {
            this.parse = parse;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            out.value(value.toString());
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.STRING) {
                throw new JsonParseException("expected an ISO-8601 string at " + in.getPath());
            }
            String text = in.nextString();
            try {
                return (T) parse.invoke(null, text);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new JsonParseException("not a " + parse.getDeclaringClass().getSimpleName() + ": " + text, e);
            }
        }
    }
}
