package dev.pagewire.remoting;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;

/**
 * A callable method: its Java method, parameters, the number of arguments the page sends, the
 * roles that may call it ({@code null}: anyone), and its invoker: a handle of type
 * {@code (Object target, Object[] args) -> Object}. Immutable.
 */
public record RemoteMethodInfo(String name, Method method, List<RemoteParameter> parameters, int arity,
                               Set<String> roles, MethodHandle invoker) {
    /**
     * The invoker for {@code m}, which must be accessible. A method handle rather than {@code
     * Method.invoke}: the fastest of the strategies measured when a dispatcher serves many methods
     * ({@code bench/.../InvokerBench}), and it adds no dependency.
     */
    static MethodHandle invokerFor(Method m) throws IllegalAccessException {
        int n = m.getParameterCount();
        return MethodHandles.lookup().unreflect(m).asFixedArity()
                .asType(MethodType.genericMethodType(n + 1))
                .asSpreader(Object[].class, n);
    }

    /** The declared generic return type ({@code void.class} for none). */
    public Type returnType() {
        return method.getGenericReturnType();
    }

    /** The parameters the page sends, in order. */
    public List<RemoteParameter> sentParameters() {
        return parameters.stream().filter(RemoteParameter::sent).toList();
    }

    /** {@code Proxy.method} for messages. */
    String label(String proxy) {
        return proxy + "." + name;
    }
}
