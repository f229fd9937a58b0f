package dev.pagewire.convert;

import dev.pagewire.DataTransferObject;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which declared Java types may cross the wire. Checked once at start for every
 * parameter and return type, recursively through type arguments, record components and DTO
 * fields, so that a request can never make the server build an object of a type the application
 * did not name.
 *
 * <p>Thread-safe after construction: the sets are filled by the constructor and then only read.
 */
public final class TypeAllowList {
    private static final Set<Class<?>> SCALARS = Set.of(
            String.class, Boolean.class, Character.class, Byte.class, Short.class, Integer.class,
            Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class, UUID.class);

    private final Set<Class<?>> registeredObjects;

    /** @param registeredObjects classes allowed as DTOs without the annotation */
    public TypeAllowList(Set<Class<?>> registeredObjects) {
        this.registeredObjects = Set.copyOf(registeredObjects);
    }

    /** Whether gson may build and read {@code type} field by field (records and DTOs). */
    boolean isObjectType(Class<?> type) {
        return type.isRecord() || type.isAnnotationPresent(DataTransferObject.class)
                || registeredObjects.contains(type);
    }

    /**
     * Returns why {@code type} cannot be converted, or {@code null} when it can.
     * The reason names the offending type and where it sits inside {@code type}.
     */
    public String rejection(Type type) {
        return rejection(type, "", new HashSet<>());
    }

    private String rejection(Type type, String where, Set<Class<?>> seen) {
        if (type instanceof Class<?> c) {
            return classRejection(c, where, seen);
        }
        if (type instanceof GenericArrayType a) {
            return rejection(a.getGenericComponentType(), where + "[]", seen);
        }
        if (type instanceof WildcardType w && w.getLowerBounds().length == 0
                && w.getUpperBounds().length == 1) {
            return rejection(w.getUpperBounds()[0], where, seen);
        }
        if (type instanceof ParameterizedType p) {
            return parameterizedRejection(p, where, seen);
        }
        return describe(type, where) + " is a type variable or wildcard, which cannot be converted";
    }

    private String classRejection(Class<?> c, String where, Set<Class<?>> seen) {
        if (c == void.class) {
            return describe(c, where) + " is not a value";
        }
        if (c.isPrimitive() || SCALARS.contains(c) || c.isEnum() || JavaTimeAdapters.supports(c)) {
            return null;
        }
        if (c.isArray()) {
            return rejection(c.getComponentType(), where + "[]", seen);
        }
        if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c) || c == Optional.class) {
            return describe(c, where) + " needs its type arguments (e.g. List<String>)";
        }
        if (!isObjectType(c)) {
            return describe(c, where) + " is not convertible: " + (JdkTypeAdvice.isJdk(c) ? JdkTypeAdvice.insteadOf(c)
                    : "mark it @DataTransferObject, make it a record, or register it with"
                    + " Pagewire.Builder.dataTransferObject(...)");
        }
        if (!seen.add(c)) {
            return null; // already being checked higher up (recursive structure)
        }
        return c.isRecord() ? recordRejection(c, where, seen) : fieldsRejection(c, where, seen);
    }

    private String recordRejection(Class<?> c, String where, Set<Class<?>> seen) {
        for (RecordComponent rc : c.getRecordComponents()) {
            String r = rejection(rc.getGenericType(), where + " > " + c.getSimpleName() + "." + rc.getName(), seen);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private String fieldsRejection(Class<?> c, String where, Set<Class<?>> seen) {
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            return describe(c, where) + " is abstract; a DTO must be a concrete class";
        }
        try {
            c.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return describe(c, where) + " has no no-argument constructor";
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()) {
                    continue;
                }
                String r = rejection(f.getGenericType(), where + " > " + k.getSimpleName() + "." + f.getName(), seen);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    private String parameterizedRejection(ParameterizedType p, String where, Set<Class<?>> seen) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == List.class || raw == Set.class || raw == Collection.class || raw == Optional.class) {
            return rejection(args[0], where + " > " + raw.getSimpleName() + "<>", seen);
        }
        if (raw == Map.class) {
            Type key = args[0];
            if (!(key == String.class || key instanceof Class<?> k && k.isEnum())) {
                return describe(p, where) + " has keys of type " + key.getTypeName()
                        + "; map keys must be String or an enum";
            }
            return rejection(args[1], where + " > Map<,>", seen);
        }
        return describe(p, where) + " is not convertible: only List, Set, Collection, Map and Optional"
                + " may have type arguments";
    }

    private static String describe(Type type, String where) {
        return "type " + type.getTypeName() + (where.isEmpty() ? "" : " (at" + where + ")");
    }
}
