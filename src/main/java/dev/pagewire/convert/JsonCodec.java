package dev.pagewire.convert;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.ReflectionAccessFilter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts JSON to declared Java types and back, for the types {@link TypeAllowList} allows.
 *
 * <p>Gson may reflect only on records and DTO classes: its {@link ReflectionAccessFilter} blocks
 * every other class, so a bug elsewhere still cannot make gson instantiate an arbitrary type.
 * Thread-safe: gson and the adapter cache are safe for concurrent use.
 */
public final class JsonCodec {
    private final Gson gson;
    private final Map<Type, com.google.gson.TypeAdapter<Object>> adapters = new ConcurrentHashMap<>();

    public JsonCodec(TypeAllowList allowList) {
        this.gson = new GsonBuilder()
                .serializeNulls()
                .registerTypeAdapterFactory(new JavaTimeAdapters())
                .registerTypeAdapterFactory(new OptionalAdapterFactory())
                .registerTypeAdapterFactory(new StrictEnumAdapterFactory())
                .registerTypeAdapterFactory(new StrictScalarAdapterFactory())
                .registerTypeAdapterFactory(new RequiredMembersAdapterFactory(allowList))
                .addReflectionAccessFilter(type -> {
                    if (allowList.isObjectType(type)) {
                        return ReflectionAccessFilter.FilterResult.ALLOW;
                    }
                    // Gson builds java.util collections through their public constructors.
                    return type.getName().startsWith("java.util.")
                            ? ReflectionAccessFilter.FilterResult.INDECISIVE
                            : ReflectionAccessFilter.FilterResult.BLOCK_ALL;
                })
                .create();
    }

    /** The shared gson instance, for encoders that stream JSON themselves. */
    Gson gson() {
        return gson;
    }

    /**
     * Converts {@code json} to {@code type}.
     *
     * @throws ConversionException when the JSON does not fit the type
     */
    public Object fromJson(JsonElement json, Type type) {
        if (json instanceof JsonPrimitive p) {
            Object quick = StrictScalarAdapterFactory.readQuickly(p, type);
            if (quick != null) {
                return quick;
            }
        }
        try {
            return adapter(type).fromJsonTree(json);
        } catch (JsonParseException | IllegalStateException | NumberFormatException | ArithmeticException e) {
            throw new ConversionException(describe(e), e);
        } catch (IllegalArgumentException e) {
            // gson's array adapter, e.g. Array.set(int[], i, null)
            throw new ConversionException("a value does not fit its place (null in an array of a primitive type?)", e);
        } catch (RuntimeException e) {
            // a record's or DTO's constructor refused the values (gson wraps what it threw)
            throw new ConversionException("the values were refused by the constructor of "
                    + TypeToken.get(type).getRawType().getSimpleName(), e);
        }
    }

    /** Writes {@code value} as {@code type} to {@code out}. */
    public void write(JsonWriter out, Object value, Type type) throws IOException {
        adapter(type).write(out, value);
    }

    private com.google.gson.TypeAdapter<Object> adapter(Type type) {
        return adapters.computeIfAbsent(type, t -> {
            @SuppressWarnings("unchecked")
            com.google.gson.TypeAdapter<Object> a = (com.google.gson.TypeAdapter<Object>) gson.getAdapter(TypeToken.get(t));
            return a;
        });
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null && e.getMessage() != null
                && e.getMessage().startsWith("java.") ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Gson appends advice URLs meant for developers of gson adapters, not for callers.
        int see = message.indexOf("\nSee ");
        return Texts.clip(see < 0 ? message : message.substring(0, see), 200);
    }
}
