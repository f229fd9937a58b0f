package dev.pagewire.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import java.lang.reflect.Type;

/**
 * The arguments of a pushed function call, as the server's JSON, read one by one into Java types
 * by the same rules as call results (records, lists, maps, enums, {@code java.time} types as
 * ISO-8601 strings, {@code BigDecimal} from a string).
 *
 * <pre>{@code
 * args -> show(args.get(0, String.class), args.get(1, int.class))
 * }</pre>
 */
public final class Arguments {
    private final JsonArray values;

    Arguments(JsonArray values) {
        this.values = values;
    }

    /** How many arguments the server sent. */
    public int size() {
        return values.size();
    }

    /** The argument at {@code index} as JSON ({@link JsonNull} for {@code null}), or past the end {@link JsonNull}. */
    public JsonElement get(int index) {
        return index >= 0 && index < values.size() ? values.get(index) : JsonNull.INSTANCE;
    }

    /**
     * The argument at {@code index} read as {@code type}.
     *
     * @throws com.google.gson.JsonParseException when it does not fit {@code type}
     */
    public <T> T get(int index, Class<T> type) {
        return WireJson.read(get(index), type);
    }

    /**
     * The argument at {@code index} read as a generic type, e.g. {@code List<Message>} through
     * {@code new TypeToken<List<Message>>() {}.getType()}.
     *
     * @throws com.google.gson.JsonParseException when it does not fit {@code type}
     */
    public <T> T get(int index, Type type) {
        return WireJson.read(get(index), type);
    }

    /** A copy of every argument as one JSON array. */
    public JsonArray json() {
        return values.deepCopy();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
