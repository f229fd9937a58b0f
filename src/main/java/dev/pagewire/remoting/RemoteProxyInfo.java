package dev.pagewire.remoting;

import dev.pagewire.Scope;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An exposed object: its JavaScript name, class, scope and callable methods, grouped by name and
 * then by arity. Immutable; {@code instances} creates an instance when the scope needs a new one.
 */
public record RemoteProxyInfo(String name, Class<?> type, Scope scope, Supplier<Object> instances,
                              Map<String, Map<Integer, RemoteMethodInfo>> methods) {

    /** Every callable method, sorted by name then arity. */
    public List<RemoteMethodInfo> allMethods() {
        return methods.values().stream().map(Map::values).flatMap(Collection::stream).toList();
    }

    /** The method of that name taking {@code arity} page-sent arguments, or {@code null}. */
    RemoteMethodInfo find(String method, int arity) {
        Map<Integer, RemoteMethodInfo> byArity = methods.get(method);
        return byArity == null ? null : byArity.get(arity);
    }

    /** Whether any method has that name. */
    boolean hasMethod(String method) {
        return methods.containsKey(method);
    }
}
