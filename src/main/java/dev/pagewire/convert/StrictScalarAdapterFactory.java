package dev.pagewire.convert;

import com.google.gson.Gson;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Function;

/**
 * Integers, floating-point numbers, booleans, strings and characters with no silent loss. Gson's
 * own adapters, reading from a JSON tree, turn {@code 1e20} or {@code 1.5} into some {@code int},
 * {@code "yes"} into {@code false} and {@code 42} or {@code true} into a string; these refuse them.
 * A number may come as a JSON string (how pages send longs beyond 2^53), but it must still fit
 * exactly; a string or character must come as a JSON string.
 *
 * <p>Nothing goes to a page that its numbers (IEEE doubles) would change: {@code BigDecimal} and
 * {@code BigInteger} are written as JSON strings (and read from a string or a number), and writing
 * a {@code long} beyond ±(2^53 − 1) fails rather than reach the page rounded.
 */
final class StrictScalarAdapterFactory implements TypeAdapterFactory {
    /** The largest integer a JavaScript number holds exactly, {@code Number.MAX_SAFE_INTEGER}. */
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    @Override
    @SuppressWarnings("unchecked")
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        TypeAdapter<?> adapter;
        if (raw == int.class || raw == Integer.class) {
            adapter = exact(BigDecimal::intValueExact, "an int");
        } else if (raw == long.class || raw == Long.class) {
            adapter = new SafeLongAdapter(exact(BigDecimal::longValueExact, "a long"));
        } else if (raw == short.class || raw == Short.class) {
            adapter = exact(BigDecimal::shortValueExact, "a short");
        } else if (raw == byte.class || raw == Byte.class) {
            adapter = exact(BigDecimal::byteValueExact, "a byte");
        } else if (raw == double.class || raw == Double.class) {
            adapter = floating(Double::parseDouble, "a double");
        } else if (raw == float.class || raw == Float.class) {
            adapter = floating(Float::parseFloat, "a float");
        } else if (raw == boolean.class || raw == Boolean.class) {
            adapter = new BooleanAdapter();
        } else if (raw == BigDecimal.class || raw == BigInteger.class) {
            adapter = new DecimalTextAdapter<>(gson.getDelegateAdapter(this, type));
        } else if (raw == String.class) {
            adapter = new StringAdapter();
        } else if (raw == char.class || raw == Character.class) {
            adapter = new CharacterAdapter();
        } else {
            return null;
        }
        return (TypeAdapter<T>) adapter.nullSafe();
    }

    /**
     * The value the adapter for {@code type} reads from {@code p}, for the common cases where that
     * needs no reader (a string as a {@code String}, a boolean, a short whole number as an {@code
     * int}, a number as a {@code double}); {@code null} for every other case, which then goes
     * through the adapter (and its refusals). A call's every argument comes this way: gson's tree
     * reader would cost about 3 KB of buffers per argument.
     */
    static Object readQuickly(JsonPrimitive p, Type type) {
        if (type == String.class) {
            return p.isString() ? p.getAsString() : null;
        }
        if (type == boolean.class || type == Boolean.class) {
            return p.isBoolean() ? p.getAsBoolean() : null;
        }
        if (!p.isNumber()) {
            return null;
        }
        String text = p.getAsString();
        if (type == int.class || type == Integer.class) {
            return isShortWhole(text) ? Integer.parseInt(text) : null;
        }
        if (type == double.class || type == Double.class) {
            try {
                double d = Double.parseDouble(text);
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** {@code 0} or an optional minus and 1 to 9 digits without a leading zero: fits an int as it is. */
    private static boolean isShortWhole(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 9 || (text.charAt(start) == '0' && digits > 1)) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static TypeAdapter<Number> exact(Function<BigDecimal, Number> convert, String what) {
        return new NumberAdapter() {
            @Override
            Number parse(String text) {
                try {
                    if (text.length() > 100) { // no int, long, short or byte needs more; BigDecimal parsing is quadratic
                        throw new NumberFormatException();
                    }
                    return convert.apply(new BigDecimal(text));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new JsonSyntaxException(Texts.clip(text, 40) + " is not " + what);
                }
            }
        };
    }

    private static TypeAdapter<Number> floating(Function<String, Number> convert, String what) {
        return new NumberAdapter() {
            @Override
            Number parse(String text) {
                try {
                    Number n = convert.apply(text);
                    if (Double.isFinite(n.doubleValue())) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    // fall through to the refusal
                }
                throw new JsonSyntaxException(Texts.clip(text, 40) + " is not " + what);
            }
        };
    }

    private abstract static class NumberAdapter extends TypeAdapter<Number> {
        abstract Number parse(String text);

        @Override
        public void write(JsonWriter out, Number value) throws IOException {
            out.value(value);
        }

        @Override
        public Number read(JsonReader in) throws IOException {
            JsonToken token = in.peek();
            if (token != JsonToken.NUMBER && token != JsonToken.STRING) {
                throw new JsonSyntaxException("Expected a number but was " + token);
            }
            return parse(in.nextString().trim());
        }
    }

    private static final class BooleanAdapter extends TypeAdapter<Boolean> {
        @Override
        public void write(JsonWriter out, Boolean value) throws IOException {
            out.value(value);
        }

        @Override
        public Boolean read(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.BOOLEAN) {
                throw new JsonSyntaxException("Expected true or false but was " + in.peek());
            }
            return in.nextBoolean();
        }
    }

    private static final class StringAdapter extends TypeAdapter<String> {
        @Override
        public void write(JsonWriter out, String value) throws IOException {
            out.value(value);
        }

        @Override
        public String read(JsonReader in) throws IOException {
            return string(in, "a string");
        }
    }

    private static final class CharacterAdapter extends TypeAdapter<Character> {
        @Override
        public void write(JsonWriter out, Character value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Character read(JsonReader in) throws IOException {
            String text = string(in, "a one-character string");
            if (text.length() != 1) {
                throw new JsonSyntaxException("Expected a one-character string but was \""
                        + Texts.clip(text, 40) + "\"");
            }
            return text.charAt(0);
        }
    }

    private static String string(JsonReader in, String what) throws IOException {
        if (in.peek() != JsonToken.STRING) {
            throw new JsonSyntaxException("Expected " + what + " but was " + in.peek());
        }
        return in.nextString();
    }

    /** Longs as JSON numbers, written only when a page's number holds them exactly. */
    private static final class SafeLongAdapter extends TypeAdapter<Number> {
        private final TypeAdapter<Number> reader;

        SafeLongAdapter(TypeAdapter<Number> reader) {
            this.reader = reader;
        }

        @Override
        public void write(JsonWriter out, Number value) throws IOException {
            long v = value.longValue();
            if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException("the long " + v + " is beyond \u00b1(2^53 - 1), the largest"
                        + " integer a page's number holds exactly; declare it as BigInteger or String to send it"
                        + " as text");
            }
            out.value(v);
        }

        @Override
        public Number read(JsonReader in) throws IOException {
            return reader.read(in);
        }
    }

    /** {@code BigDecimal} and {@code BigInteger} written as exact JSON strings; read by gson. */
    private static final class DecimalTextAdapter<T> extends TypeAdapter<T> {
        private final TypeAdapter<T> reader;

        DecimalTextAdapter(TypeAdapter<T> reader) {
            this.reader = reader;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public T read(JsonReader in) throws IOException {
            return reader.read(in);
        }
    }
}
