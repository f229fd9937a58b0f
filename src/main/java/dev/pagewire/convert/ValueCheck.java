package dev.pagewire.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a value whose declared type is unknown (an argument of an untyped push) by its runtime
 * classes, so that it converts by the same allow-list as a declared type: what {@link TypeAllowList}
 * refuses for a parameter or result is refused here too. Collections, maps, optionals and arrays
 * of a class that is not allowed by itself (such as {@code Object[]}) are walked: every element
 * and map value is checked, and map keys must be {@code String} or an enum. Every other class is
 * checked once and its verdict cached, so a push of a record or a string costs one lookup, and a
 * list one lookup per element; where the offending value sits is worked out only once one is found.
 * Measured on the 2-core CI machine (2026-12-02, shared, 300,000 pushes a round of a string, an
 * int, a record and a three-element list): an untyped push cost 0.74-1.04x a typed one, which
 * needs no check at run time; before this check the spread was 0.80-1.20x, so the check is lost
 * in the noise of the JSON encoding.
 *
 * <p>Thread-safe: the cache is a {@link ClassValue}; a check keeps its state (the containers it
 * is inside, to refuse a value that contains itself) in a list of its own.
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
        Found found = find(value, null);
        return found == null ? null : found.where().isEmpty() ? found.why() : found.why() + " (at " + found.where() + ")";
    }

    /** What is wrong, and where (built on the way back out, as {@code [2]["key"]}). */
    private record Found(String why, String where) {
        Found inside(String step) {
            return new Found(why, step + where);
        }
    }

    private Found find(Object value, List<Object> path) {
        if (value == null) {
            return null;
        }
        Class<?> type = value instanceof Enum<?> e ? e.getDeclaringClass() : value.getClass();
        if (!(value instanceof Collection || value instanceof Map || value instanceof Optional || type.isArray())) {
            String why = verdicts.get(type);
            return why == null ? null : new Found(why, "");
        }
        if (type.isArray() && verdicts.get(type) == null) {
            return null; // String[], int[], Message[]: the component type decides
        }
        List<Object> inside = path == null ? new ArrayList<>(4) : path;
        for (Object outer : inside) {
            if (outer == value) {
                return new Found("the value contains itself", "");
            }
        }
        inside.add(value);
        Found found = findInContainer(value, inside);
        inside.remove(inside.size() - 1);
        return found;
    }

    private Found findInContainer(Object value, List<Object> path) {
        if (value instanceof Map<?, ?> map) {
            return findInMap(map, path);
        }
        if (value instanceof Optional<?> optional) {
            return find(optional.orElse(null), path);
        }
        // An array whose component type is not allowed by itself holds references: an Object[].
        return findInElements(value instanceof Collection<?> c ? c : Arrays.asList((Object[]) value), path);
    }

    private Found findInElements(Collection<?> elements, List<Object> path) {
        int i = 0;
        for (Object element : elements) {
            Found found = find(element, path);
            if (found != null) {
                return found.inside("[" + i + "]");
            }
            i++;
        }
        return null;
    }

    private Found findInMap(Map<?, ?> map, List<Object> path) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String || key instanceof Enum)) {
                return new Found("map key " + Texts.clip(String.valueOf(key), 40) + " is "
                        + (key == null ? "null" : "a " + key.getClass().getName())
                        + "; map keys must be String or an enum", "");
            }
            Found found = find(e.getValue(), path);
            if (found != null) {
                return found.inside("[\"" + Texts.clip(key.toString(), 40) + "\"]");
            }
        }
        return null;
    }
}
