package dev.pagewire.remoting;

import dev.pagewire.FileDownload;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Roles;
import dev.pagewire.Scope;
import dev.pagewire.convert.InjectedParameter;
import dev.pagewire.convert.TypeAllowList;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every exposed object, validated once at start: names, scopes, methods and their types. A
 * problem fails the build of the configuration with a message naming the class, method and type,
 * so a misconfiguration never shows up first as a failed call in production.
 *
 * <p>Immutable and thread-safe after construction.
 */
public final class ProxyRegistry {
    private static final Pattern JS_IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Set<String> RESERVED = Set.of("pagewire", "window", "document", "globalThis",
            "Object", "Function", "Array", "String", "Number", "Boolean", "Symbol", "Promise", "Error",
            "JSON", "Math", "Date", "RegExp", "Map", "Set", "eval", "undefined", "NaN", "Infinity");

    private final Map<String, RemoteProxyInfo> proxies;

    /**
     * Validates and indexes {@code exposed}.
     *
     * @throws IllegalStateException naming what is wrong, for the first problem found
     */
    public ProxyRegistry(List<ExposedObject> exposed, TypeAllowList allowList,
                         Function<Class<?>, Object> instanceFactory) {
        Map<String, RemoteProxyInfo> byName = new TreeMap<>();
        for (ExposedObject e : exposed) {
            RemoteProxyInfo info = describe(e, allowList, instanceFactory);
            if (byName.putIfAbsent(info.name(), info) != null) {
                throw new IllegalStateException("Two exposed objects are named '" + info.name() + "': "
                        + byName.get(info.name()).type().getName() + " and " + info.type().getName());
            }
        }
        this.proxies = Map.copyOf(byName);
    }

    /** The proxy of that name, or {@code null}. */
    RemoteProxyInfo find(String name) {
        return proxies.get(name);
    }

    /** Every proxy, sorted by name. */
    public Collection<RemoteProxyInfo> all() {
        return new TreeMap<>(proxies).values();
    }

    /** Every role a {@code @Roles} annotation names: all a WebSocket's calls may ask about. */
    public Set<String> namedRoles() {
        return proxies.values().stream().flatMap(p -> p.allMethods().stream())
                .filter(m -> m.roles() != null).flatMap(m -> m.roles().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static RemoteProxyInfo describe(ExposedObject e, TypeAllowList allowList,
                                            Function<Class<?>, Object> factory) {
        Class<?> type = e.type();
        RemoteProxy annotation = type.getAnnotation(RemoteProxy.class);
        String name = firstNonEmpty(e.name(), annotation == null ? null : annotation.name(), type.getSimpleName());
        if (name == null || !JS_IDENTIFIER.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalStateException("Cannot expose " + type.getName() + " as '" + name
                    + "': the name must be a JavaScript identifier and not a built-in global");
        }
        Scope scope = e.scope() != null ? e.scope() : annotation != null ? annotation.scope() : Scope.APPLICATION;
        if (e.instance() != null && scope != Scope.APPLICATION) {
            throw new IllegalStateException("Cannot expose an instance of " + type.getName()
                    + " with scope " + scope + ": an instance is shared, so its scope is APPLICATION;"
                    + " expose the class instead");
        }
        Map<String, Map<Integer, RemoteMethodInfo>> methods = methods(name, type, allowList);
        if (methods.isEmpty()) {
            throw new IllegalStateException("Cannot expose " + type.getName() + " as '" + name
                    + "': it has no callable methods (public methods annotated @RemoteMethod). Records and"
                    + " @DataTransferObject classes used as parameters need no exposing: they convert as they are");
        }
        return new RemoteProxyInfo(name, type, scope, instances(e, scope, factory), methods);
    }

    private static Supplier<Object> instances(ExposedObject e, Scope scope, Function<Class<?>, Object> factory) {
        if (e.instance() != null) {
            Object instance = e.instance();
            return () -> instance;
        }
        Supplier<Object> create = () -> {
            Object o = factory.apply(e.type());
            if (!e.type().isInstance(o)) {
                throw new IllegalStateException("The instance factory returned " + o + " for " + e.type().getName());
            }
            return o;
        };
        if (scope == Scope.APPLICATION) {
            Object single = create.get(); // created at start, so a broken constructor fails the start
            return () -> single;
        }
        return create;
    }

    private static Map<String, Map<Integer, RemoteMethodInfo>> methods(String proxy, Class<?> type,
                                                                        TypeAllowList allowList) {
        Map<String, Map<Integer, RemoteMethodInfo>> byName = new TreeMap<>();
        for (Method m : candidates(type)) {
            RemoteMethodInfo info = describe(proxy, type, m, allowList);
            Map<Integer, RemoteMethodInfo> byArity = byName.computeIfAbsent(m.getName(), k -> new TreeMap<>());
            RemoteMethodInfo clash = byArity.putIfAbsent(info.arity(), info);
            if (clash != null) {
                throw new IllegalStateException("Cannot expose " + proxy + ": " + signature(clash.method())
                        + " and " + signature(m) + " both take " + info.arity()
                        + " argument(s) from the page; overloads must differ in argument count");
            }
        }
        Map<String, Map<Integer, RemoteMethodInfo>> frozen = new LinkedHashMap<>();
        byName.forEach((k, v) -> frozen.put(k, Map.copyOf(v)));
        return frozen;
    }

    /**
     * The methods to expose: those annotated {@code @RemoteMethod} in the class, its superclasses
     * or its interfaces (the most specific declaration of each); or, on a class with no such
     * annotation anywhere and no {@code @RemoteProxy}, every public instance method it declares.
     * Methods declared by {@code Object} are never candidates.
     */
    private static List<Method> candidates(Class<?> type) {
        List<Method> annotated = new ArrayList<>();
        for (Class<?> k : hierarchy(type)) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.isAnnotationPresent(RemoteMethod.class)) {
                    requireCallable(type, m);
                    if (!overridden(m, annotated)) {
                        annotated.add(m);
                    }
                }
            }
        }
        if (!annotated.isEmpty() || type.isAnnotationPresent(RemoteProxy.class)) {
            return sorted(annotated);
        }
        List<Method> declared = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            int mod = m.getModifiers();
            if (Modifier.isPublic(mod) && !Modifier.isStatic(mod) && !m.isSynthetic() && !m.isBridge()
                    && !declaredByObject(m)) {
                declared.add(m);
            }
        }
        return sorted(declared);
    }

    /**
     * {@code type}, its superclasses nearest first (not {@code Object}), then every interface
     * they implement, breadth-first: the order in which the most specific declaration is found.
     */
    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> order = new ArrayList<>();
        for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
            order.add(k);
        }
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        order.forEach(k -> interfaces.addAll(List.of(k.getInterfaces())));
        for (List<Class<?>> level = List.copyOf(interfaces); !level.isEmpty(); ) {
            List<Class<?>> next = new ArrayList<>();
            level.forEach(i -> next.addAll(List.of(i.getInterfaces())));
            next.removeIf(i -> !interfaces.add(i));
            level = next;
        }
        order.addAll(interfaces);
        return order;
    }

    private static boolean declaredByObject(Method m) {
        try {
            Object.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean overridden(Method m, List<Method> found) {
        return found.stream().anyMatch(f -> f.getName().equals(m.getName())
                && Arrays.equals(f.getParameterTypes(), m.getParameterTypes()));
    }

    private static List<Method> sorted(List<Method> methods) {
        methods.sort(Comparator.comparing(Method::getName).thenComparing(Method::getParameterCount));
        return methods;
    }

    private static void requireCallable(Class<?> type, Method m) {
        int mod = m.getModifiers();
        if (!Modifier.isPublic(mod) || Modifier.isStatic(mod)) {
            throw new IllegalStateException("Cannot expose " + type.getName() + "." + m.getName()
                    + ": @RemoteMethod needs a public instance method");
        }
    }

    private static RemoteMethodInfo describe(String proxy, Class<?> type, Method m, TypeAllowList allowList) {
        List<RemoteParameter> params = new ArrayList<>();
        int arity = 0;
        Parameter[] declared = m.getParameters();
        for (int i = 0; i < declared.length; i++) {
            Parameter p = declared[i];
            InjectedParameter injected = InjectedParameter.of(p.getType());
            if (injected == null) {
                String why = FileArguments.accepts(p.getParameterizedType()) ? null
                        : allowList.rejection(p.getParameterizedType());
                if (why != null) {
                    throw new IllegalStateException("Cannot expose " + proxy + "." + signature(m)
                            + ": parameter " + i + " (" + p.getName() + "): " + why);
                }
                arity++;
            }
            params.add(new RemoteParameter(p.getName(), p.getParameterizedType(), injected));
        }
        requireConvertibleResult(proxy, m, allowList);
        // Exposed classes may be package-private (samples, tests); the method itself is public.
        m.setAccessible(true);
        try {
            return new RemoteMethodInfo(m.getName(), m, List.copyOf(params), arity, roles(proxy, type, m),
                    RemoteMethodInfo.invokerFor(m));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot expose " + proxy + "." + signature(m) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless the page can receive what {@code m} returns: a convertible type, or a
     * {@code CompletionStage<T>} or {@code CompletableFuture<T>} of one (or of {@code Void}).
     */
    private static void requireConvertibleResult(String proxy, Method m, TypeAllowList allowList) {
        Class<?> raw = m.getReturnType();
        if (CompletionStage.class.isAssignableFrom(raw) && (!RemoteMethodInfo.STAGES.contains(raw)
                || !(m.getGenericReturnType() instanceof ParameterizedType))) {
            throw new IllegalStateException("Cannot expose " + proxy + "." + signature(m) + ": return "
                    + raw.getSimpleName() + ": an asynchronous method returns CompletionStage<T> or"
                    + " CompletableFuture<T>, naming T");
        }
        Type result = RemoteMethodInfo.resultType(m);
        String why = result == void.class || result == FileDownload.class ? null : allowList.rejection(result);
        if (why != null) {
            throw new IllegalStateException("Cannot expose " + proxy + "." + signature(m) + ": return " + why);
        }
    }

    /**
     * The roles that may call {@code m} on {@code type}, or {@code null} (anyone): those of the
     * most specific {@link Roles} on the method or on any method it overrides, else those of the
     * nearest annotated type, both in {@link #hierarchy} order. Inherited methods thus obey the
     * exposed class's roles, and {@code @Roles} on an override applies without {@code @RemoteMethod}.
     */
    private static Set<String> roles(String proxy, Class<?> type, Method m) {
        List<Class<?>> hierarchy = hierarchy(type);
        Roles roles = hierarchy.stream().map(k -> declaration(k, m)).filter(Objects::nonNull)
                .map(d -> d.getAnnotation(Roles.class)).filter(Objects::nonNull).findFirst()
                .or(() -> hierarchy.stream().map(k -> k.getAnnotation(Roles.class)).filter(Objects::nonNull).findFirst())
                .orElse(null);
        if (roles == null) {
            return null;
        }
        if (roles.value().length == 0) {
            throw new IllegalStateException("Cannot expose " + proxy + "." + signature(m)
                    + ": @Roles names no role, so nobody could call it; remove the method from the proxy instead");
        }
        return Set.of(roles.value());
    }

    /** The instance method of {@code k} that {@code m} overrides or is, or {@code null}. */
    private static Method declaration(Class<?> k, Method m) {
        try {
            Method declared = k.getDeclaredMethod(m.getName(), m.getParameterTypes());
            int mod = declared.getModifiers();
            return Modifier.isPrivate(mod) || Modifier.isStatic(mod) ? null : declared;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static String signature(Method m) {
        StringBuilder s = new StringBuilder(m.getName()).append('(');
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return s.append(')').toString();
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
