package dev.pagewire.convert;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.SerializedName;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enums by constant name (or {@link SerializedName}). Unlike gson's own adapter, an unknown name
 * is an error, not a silent {@code null} that the method would then have to guess about.
 */
final class StrictEnumAdapterFactory implements TypeAdapterFactory {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        if (!Enum.class.isAssignableFrom(raw) || raw == Enum.class) {
            return null;
        }
        Class<?> enumType = raw.isEnum() ? raw : raw.getSuperclass(); // constant bodies are subclasses
        return (TypeAdapter<T>) new EnumAdapter(enumType).nullSafe();
    }

    private static final class EnumAdapter<E extends Enum<E>> extends TypeAdapter<E> {
        private final Map<String, E> byName = new LinkedHashMap<>();
        private final Map<E, String> names = new LinkedHashMap<>();

        EnumAdapter(Class<E> type) {
            for (E constant : type.getEnumConstants()) {
                String name = constant.name();
                try {
                    SerializedName sn = type.getField(name).getAnnotation(SerializedName.class);
                    if (sn != null) {
                        name = sn.value();
                        for (String alternate : sn.alternate()) {
                            byName.put(alternate, constant);
                        }
                    }
                } catch (NoSuchFieldException e) {
                    throw new IllegalStateException(e);
                }
                byName.put(name, constant);
                names.put(constant, name);
            }
        }

        @Override
        public void write(JsonWriter out, E value) throws IOException {
            out.value(names.get(value));
        }

        @Override
        public E read(JsonReader in) throws IOException {
            String text = in.nextString();
            E constant = byName.get(text);
            if (constant == null) {
                throw new JsonSyntaxException("'" + Texts.clip(text, 40) + "' is not one of "
                        + String.join(", ", names.values()));
            }
            return constant;
        }
    }
}
