package dev.pagewire.convert;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a value whose declared type is unknown (an argument of an untyped push) by its runtime
 * classes, so that it converts by the same allow-list as a declared type: what {@link TypeAllowList}
 * refuses for a parameter or result is refused here too. Collections, maps, optionals and arrays
 * of a class that is not allowed by itself (such as {@code Object[]}) are walked: every element
 * and map value is checked, and map keys must be {@code String} or an enum. Every other class is
 * checked once and its verdict cached, so a push of a record or a string costs one lookup.
 *
 * <p>Thread-safe: the cache is a {@link ClassValue}; a check keeps its state on its own stack.
 */
public final class ValueCheck {
    private final ClassValue<String> verdicts;

    /** @param allowList the rules for declared types, applied to each runtime class */
    public ValueCheck(TypeAllowList allowList) {
        this.verdicts = new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                return allowList.rejection(type);
            }
        };
    }

    /**
     * Returns why {@code value} cannot be converted, naming the offending class and where it
     * sits inside {@code value}, or {@code null} when it can.
     */
    public String rejection(Object value) {
        return rejection(value, "", null);
    }

    private String rejection(Object value, String where, Map<Object, Boolean> path) {
        if (value == null) {
            return null;
        }
        Class<?> type = value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
        if (!(value instanceof Collection || value instanceof Map || value instanceof Optional || type.isArray())) {
            return at(verdicts.get(type), where);
        }
        if (type.isArray() && verdicts.get(type) == null) {
            return null; // String[], int[], Message[]: the component type decides
        }
        Map<Object, Boolean> inside = path == null ? new IdentityHashMap<>() : path;
        if (inside.put(value, Boolean.TRUE) != null) {
            return "the value contains itself" + (where.isEmpty() ? "" : " (at " + where + ")");
        }
        String why = containerRejection(value, where, inside);
        inside.remove(value);
        return why;
    }

    private String containerRejection(Object value, String where, Map<Object, Boolean> path) {
        if (value instanceof Map<?, ?> map) {
            return mapRejection(map, where, path);
        }
        if (value instanceof Optional<?> optional) {
            return rejection(optional.orElse(null), where, path);
        }
        if (value instanceof Collection<?> collection) {
            return elementsRejection(collection.toArray(), where, path);
        }
        Object[] elements = new Object[Array.getLength(value)];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = Array.get(value, i);
        }
        return elementsRejection(elements, where, path);
    }

    private String elementsRejection(Object[] elements, String where, Map<Object, Boolean> path) {
        for (int i = 0; i < elements.length; i++) {
            String why = rejection(elements[i], where + "[" + i + "]", path);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private String mapRejection(Map<?, ?> map, String where, Map<Object, Boolean> path) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String || key instanceof Enum)) {
                return at("map key " + Texts.clip(String.valueOf(key), 40) + " is "
                        + (key == null ? "null" : "a " + key.getClass().getName())
                        + "; map keys must be String or an enum", where);
            }
            String why = rejection(e.getValue(), where + "[\"" + Texts.clip(key.toString(), 40) + "\"]", path);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String at(String why, String where) {
        return why == null || where.isEmpty() ? why : why + " (at " + where + ")";
    }
}
