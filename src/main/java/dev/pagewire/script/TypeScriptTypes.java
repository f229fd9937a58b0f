package dev.pagewire.script;

import com.google.gson.annotations.SerializedName;
import dev.pagewire.FileDownload;
import dev.pagewire.FileUpload;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Maps allowed Java types to TypeScript, collecting an interface for every record and DTO met
 * on the way. One instance per generated file; not thread-safe.
 */
final class TypeScriptTypes {
    private final Map<Class<?>, String> interfaces = new LinkedHashMap<>();
    /** What the page receives for a {@link FileDownload}: the engine adds {@code save()}. */
    private static final String FILE_DOWNLOAD = "/** A file to download: its URL serves it once, to this browser. */\n"
            + "export interface FileDownload {\n  name: string;\n  type: string;\n  size: number | null;\n"
            + "  url: string;\n  /** Makes the browser download it. */\n  save(): void;\n}\n\n";

    /**
     * The TypeScript type for {@code type}. Values the page sends ({@code input}) may be wider:
     * an {@code Instant} parameter also takes a {@code Date} or epoch milliseconds.
     */
    String of(Type type, boolean input) {
        if (type instanceof Class<?> c) {
            return ofClass(c, input);
        }
        if (type instanceof GenericArrayType a) {
            return array(of(a.getGenericComponentType(), input));
        }
        if (type instanceof WildcardType w) {
            return of(w.getUpperBounds()[0], input);
        }
        ParameterizedType p = (ParameterizedType) type;
        Type[] args = p.getActualTypeArguments();
        Class<?> raw = (Class<?>) p.getRawType();
        if (raw == Optional.class) {
            return of(args[0], input) + " | null";
        }
        if (raw == Map.class) {
            return "Record<string, " + of(args[1], input) + ">";
        }
        return array(of(args[0], input));
    }

    /** The interface declarations collected so far, in the order first met. */
    String declarations() {
        return String.join("", interfaces.values());
    }

    private String ofClass(Class<?> c, boolean input) {
        if (c == FileUpload.class) {
            return "Blob";
        }
        if (c == FileDownload.class) {
            interfaces.put(c, FILE_DOWNLOAD);
            return "FileDownload";
        }
        if (c == void.class || c == Void.class) {
            return "void";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "boolean";
        }
        if (c == char.class || c == Character.class || c == String.class || c == UUID.class) {
            return "string";
        }
        if (c == BigDecimal.class || c == BigInteger.class) {
            return input ? "string | number" : "string"; // exact digits: a JS number would round them
        }
        if (c.isPrimitive() || Number.class.isAssignableFrom(c)) {
            return "number";
        }
        if (c == Instant.class) {
            return input ? "string | number | Date" : "string";
        }
        if (c.isEnum()) {
            return Arrays.stream(c.getEnumConstants()).map(e -> "\"" + serializedName(c, (Enum<?>) e) + "\"")
                    .collect(Collectors.joining(" | "));
        }
        if (c.isArray()) {
            return array(of(c.getComponentType(), input));
        }
        if (c.getName().startsWith("java.time.")) {
            return "string";
        }
        declare(c);
        return c.getSimpleName();
    }

    private void declare(Class<?> c) {
        if (interfaces.containsKey(c)) {
            return;
        }
        interfaces.put(c, ""); // placeholder first: a DTO may refer to itself
        StringBuilder s = new StringBuilder("export interface ").append(c.getSimpleName()).append(" {\n");
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                member(s, rc.getName(), rc.getGenericType());
            }
        } else {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                        SerializedName sn = f.getAnnotation(SerializedName.class);
                        member(s, sn == null ? f.getName() : sn.value(), f.getGenericType());
                    }
                }
            }
        }
        interfaces.put(c, s.append("}\n\n").toString());
    }

    private void member(StringBuilder s, String name, Type type) {
        s.append("  ").append(name).append(": ").append(of(type, false)).append(";\n");
    }

    private static String array(String element) {
        return element.matches("[A-Za-z0-9_$]+") ? element + "[]" : "Array<" + element + ">";
    }

    private static String serializedName(Class<?> type, Enum<?> constant) {
        try {
            SerializedName sn = type.getField(constant.name()).getAnnotation(SerializedName.class);
            return sn == null ? constant.name() : sn.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
