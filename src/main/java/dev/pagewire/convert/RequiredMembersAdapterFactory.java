package dev.pagewire.convert;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.SerializedName;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records and DTOs read from JSON have every member, so a method never meets a {@code null} the
 * page did not mean. A member that is missing or {@code null} is refused unless its type is
 * {@code Optional} (then it is empty) or it carries an annotation named {@code Nullable} (of any
 * package, retained at run time: JSpecify, Jakarta, JSR-305; then it is {@code null}, or for a
 * DTO field its initial value when missing). A primitive member is always required. Writing is
 * gson's own.
 */
final class RequiredMembersAdapterFactory implements TypeAdapterFactory {
    private final TypeAllowList allowList;

    RequiredMembersAdapterFactory(TypeAllowList allowList) {
        this.allowList = allowList;
    }

    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        if (!allowList.isObjectType(raw)) {
            return null;
        }
        return new MembersAdapter<>(gson.getDelegateAdapter(this, type), gson.getAdapter(JsonElement.class),
                raw.getSimpleName(), members(raw));
    }

    /** A member as it appears in JSON: its names, and whether it may be left out. */
    private record Member(List<String> names, boolean optional, boolean nullable) {
        boolean required() {
            return !optional && !nullable;
        }

        /** The first of its names present with a value in {@code object}, or {@code null}. */
        String presentIn(JsonObject object) {
            for (String name : names) {
                JsonElement value = object.get(name);
                if (value != null && !value.isJsonNull()) {
                    return name;
                }
            }
            return null;
        }
    }

    private static List<Member> members(Class<?> type) {
        List<Member> members = new ArrayList<>();
        for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                    members.add(member(type, f));
                }
            }
        }
        return List.copyOf(members);
    }

    private static Member member(Class<?> owner, Field f) {
        List<String> names = new ArrayList<>();
        SerializedName sn = f.getAnnotation(SerializedName.class);
        names.add(sn == null ? f.getName() : sn.value());
        if (sn != null) {
            names.addAll(List.of(sn.alternate()));
        }
        boolean nullable = !f.getType().isPrimitive() && (isNullable(f) || isNullable(f.getAnnotatedType())
                || owner.isRecord() && isNullable(recordComponent(owner, f.getName())));
        return new Member(List.copyOf(names), f.getType() == Optional.class, nullable);
    }

    private static AnnotatedElement recordComponent(Class<?> record, String name) {
        for (var rc : record.getRecordComponents()) {
            if (rc.getName().equals(name)) {
                return rc;
            }
        }
        return null;
    }

    private static boolean isNullable(AnnotatedElement element) {
        if (element != null) {
            for (Annotation a : element.getAnnotations()) {
                if (a.annotationType().getSimpleName().equals("Nullable")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Checks the object's members on its JSON tree, fills absent {@code Optional} ones with
     * {@code null} (so they become empty, not {@code null}), then lets gson build it.
     */
    private static final class MembersAdapter<T> extends TypeAdapter<T> {
        private final TypeAdapter<T> delegate;
        private final TypeAdapter<JsonElement> trees;
        private final String typeName;
        private final List<Member> members;

        MembersAdapter(TypeAdapter<T> delegate, TypeAdapter<JsonElement> trees, String typeName,
                       List<Member> members) {
            this.delegate = delegate;
            this.trees = trees;
            this.typeName = typeName;
            this.members = members;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            delegate.write(out, value);
        }

        @Override
        public T read(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                return delegate.read(in); // null, or gson's own error for a value that is not an object
            }
            JsonObject object = trees.read(in).getAsJsonObject();
            return delegate.fromJsonTree(checked(object));
        }

        private JsonObject checked(JsonObject object) {
            JsonObject filled = object;
            for (Member m : members) {
                if (m.presentIn(object) != null) {
                    continue;
                }
                if (m.required()) {
                    throw new JsonSyntaxException(typeName + "." + m.names().get(0) + " is "
                            + (object.has(m.names().get(0)) ? "null" : "missing")
                            + ": only Optional or @Nullable members may be left out or null");
                }
                if (m.optional() && !object.has(m.names().get(0))) {
                    filled = filled == object ? copy(object) : filled;
                    filled.add(m.names().get(0), JsonNull.INSTANCE);
                }
            }
            return filled;
        }

        private static JsonObject copy(JsonObject object) {
            JsonObject copy = new JsonObject();
            object.entrySet().forEach(e -> copy.add(e.getKey(), e.getValue()));
            return copy;
        }
    }
}
