package dev.pagewire;

import dev.pagewire.spi.BackendProvider;
import jakarta.servlet.ServletConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a configuration from {@link PagewireServlet}'s {@code web.xml} init-params: one per
 * builder setting, named as the builder's method. Every setting of one value (a number, a
 * boolean, a duration, a string, a delivery mode, a list of them, a list of class names) is found
 * on {@link Pagewire.Builder} by reflection, so a new setting is an init-param without code here;
 * {@code classes} (the exposed classes), {@code filter} (filter classes), {@code deliveryRule} and
 * {@code backend} are read here. A name that is no setting stops the servlet, listing the names.
 */
final class InitParameters {
    /** {@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}: the short form of a duration. */
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    /** One delivery rule: {@code pattern=mode[,also...][@interval]}. */
    private static final Pattern RULE = Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*([a-zA-Z]+)((?:\\s*,\\s*[a-zA-Z]+)*)\\s*(?:@\\s*(\\S+))?\\s*");
    /** Read below, not through a builder method of the same name. */
    private static final List<String> OWN = List.of("classes", "filter", "deliveryRule", "backend");
    /** Builder methods that take what no init-param can say. */
    private static final List<String> JAVA_ONLY = List.of("expose", "instanceFactory", "backend", "filter",
            "deliveryRule", "topic");
    private static final Map<String, Method> SETTINGS = settings();

    private InitParameters() {
    }

    static Pagewire.Builder configure(ServletConfig config) {
        Pagewire.Builder b = Pagewire.builder();
        for (String name : Collections.list(config.getInitParameterNames())) {
            String value = config.getInitParameter(name);
            if (OWN.contains(name)) {
                continue;
            }
            Method setting = SETTINGS.get(name);
            if (setting == null) {
                throw new IllegalStateException("init-param " + name + " is no Pagewire setting; the settings are "
                        + String.join(", ", names()));
            }
            apply(b, setting, name, value);
        }
        for (String name : list(config.getInitParameter("classes"))) {
            b.expose(load(name, "classes"));
        }
        for (String name : list(config.getInitParameter("filter"))) {
            b.filter((CallFilter) instance(load(name, "filter"), CallFilter.class, "init-param filter"));
        }
        String rules = config.getInitParameter("deliveryRule");
        if (rules != null) {
            for (String rule : rules.split(";")) {
                if (!rule.isBlank()) {
                    deliveryRule(b, rule);
                }
            }
        }
        String backend = config.getInitParameter("backend");
        if (backend == null) {
            backend = System.getenv("PAGEWIRE_REDIS");
        }
        if (backend != null && !backend.isBlank()) {
            b.backend(BackendProvider.forUri(backend.trim(), "init-param backend"));
        }
        return b;
    }

    /** Every init-param name, sorted: the settings read by reflection and those read here. */
    static List<String> names() {
        List<String> all = new ArrayList<>(SETTINGS.keySet());
        all.addAll(OWN);
        Collections.sort(all);
        return all;
    }

    private static Map<String, Method> settings() {
        Map<String, Method> found = new TreeMap<>();
        for (Method m : Pagewire.Builder.class.getMethods()) {
            if (m.getDeclaringClass() == Pagewire.Builder.class && m.getReturnType() == Pagewire.Builder.class
                    && m.getParameterCount() == 1 && !Modifier.isStatic(m.getModifiers())
                    && !JAVA_ONLY.contains(m.getName()) && readable(m.getParameterTypes()[0])) {
                found.put(m.getName(), m);
            }
        }
        return Collections.unmodifiableMap(found);
    }

    private static boolean readable(Class<?> type) {
        Class<?> one = type.isArray() ? type.getComponentType() : type;
        return one == int.class || one == long.class || one == boolean.class || one == String.class
                || one == Duration.class || one == DeliveryMode.class || one == Class.class;
    }

    private static void apply(Pagewire.Builder b, Method setting, String name, String text) {
        Class<?> type = setting.getParameterTypes()[0];
        Object value;
        try {
            value = type.isArray() ? array(type.getComponentType(), name, list(text)) : one(type, name, text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("init-param " + name + ": " + e.getMessage(), e);
        }
        try {
            setting.invoke(b, value);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("init-param " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("init-param " + name + " cannot be set", e);
        }
    }

    private static Object array(Class<?> type, String name, String[] items) {
        Object array = java.lang.reflect.Array.newInstance(type, items.length);
        for (int i = 0; i < items.length; i++) {
            java.lang.reflect.Array.set(array, i, one(type, name, items[i]));
        }
        return array;
    }

    private static Object one(Class<?> type, String name, String text) {
        if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == long.class) {
            return Long.parseLong(text);
        } else if (type == boolean.class) {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("true or false, not " + text);
            }
            return Boolean.parseBoolean(text);
        } else if (type == Duration.class) {
            return duration(text);
        } else if (type == DeliveryMode.class) {
            return mode(text);
        } else if (type == Class.class) {
            return load(text, name);
        }
        return text;
    }

    /** ISO-8601 ({@code PT30S}) or short ({@code 30s}, {@code 500ms}, {@code 5m}, {@code 1h}). */
    private static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a duration such as 30s, 500ms, 5m or PT30S, not " + text);
        }
    }

    private static DeliveryMode mode(String text) {
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.wireName().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("a delivery mode (" + Arrays.stream(DeliveryMode.values())
                .map(DeliveryMode::wireName).toList() + "), not " + text);
    }

    /** {@code /live/**=sse,comet,polling@2s}: a pattern, its mode, others allowed, a poll interval. */
    private static void deliveryRule(Pagewire.Builder b, String rule) {
        Matcher m = RULE.matcher(rule);
        if (!m.matches()) {
            throw new IllegalStateException("init-param deliveryRule: \"" + rule.trim() + "\" is not"
                    + " pattern=mode[,alsoAllowed...][@pollInterval], such as /live/**=sse,comet@2s");
        }
        try {
            DeliveryMode mode = mode(m.group(2));
            DeliveryMode[] also = Arrays.stream(list(m.group(3))).map(InitParameters::mode).toArray(DeliveryMode[]::new);
            if (m.group(4) == null) {
                b.deliveryRule(m.group(1), mode, also);
            } else {
                b.deliveryRule(m.group(1), mode, duration(m.group(4)), also);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("init-param deliveryRule \"" + rule.trim() + "\": " + e.getMessage(), e);
        }
    }

    private static String[] list(String value) {
        return value == null ? new String[0]
                : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static Class<?> load(String name, String param) {
        return load(name, "init-param " + param, Thread.currentThread().getContextClassLoader());
    }

    /** The class {@code setting} names, from {@code loader}. @throws IllegalStateException naming both */
    static Class<?> load(String name, String setting, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(setting + " names " + name + ", which is not on the class path", e);
        }
    }

    /**
     * A new {@code type}, made with its public constructor without parameters, as an {@code
     * expected}. @throws IllegalStateException naming {@code setting} when it is not one or has no such constructor
     */
    static Object instance(Class<?> type, Class<?> expected, String setting) {
        if (!expected.isAssignableFrom(type)) {
            throw new IllegalStateException(setting + " names " + type.getName() + ", which does not implement "
                    + expected.getName());
        }
        try {
            return type.getConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException(setting + ": the constructor of " + type.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(setting + " names " + type.getName() + ", which needs a public"
                    + " constructor without parameters (and must be a public, non-abstract class)", e);
        }
    }
}
