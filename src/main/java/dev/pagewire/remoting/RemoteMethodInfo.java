package dev.pagewire.remoting;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A callable method: its Java method, parameters, the number of arguments the page sends, the
 * roles that may call it ({@code null}: anyone), and its invoker: a handle of type
 * {@code (Object target, Object[] args) -> Object}. A method returning a {@link CompletionStage}
 * is {@linkplain #async() asynchronous}: the page receives what the stage completes with. Immutable.
 */
public record RemoteMethodInfo(String name, Method method, List<RemoteParameter> parameters, int arity,
                               Set<String> roles, MethodHandle invoker) {
    /** The stage types a method may return for an asynchronous result. */
    static final Set<Type> STAGES = Set.of(CompletionStage.class, CompletableFuture.class);

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

    /**
     * The type of the value the page receives: the declared generic return type, or {@code T}
     * for a method returning {@code CompletionStage<T>} or {@code CompletableFuture<T>};
     * {@code void.class} for none (and for {@code Void}).
     */
    public Type returnType() {
        return resultType(method);
    }

    /** Whether the method returns a {@link CompletionStage}, whose completion is its result. */
    boolean async() {
        return CompletionStage.class.isAssignableFrom(method.getReturnType());
    }

    /** See {@link #returnType()}; for a raw stage, its raw type (which no allow-list accepts). */
    static Type resultType(Method m) {
        Type declared = m.getGenericReturnType();
        if (declared instanceof ParameterizedType p && STAGES.contains(p.getRawType())) {
            Type t = p.getActualTypeArguments()[0];
            return t == Void.class ? void.class : t;
        }
        return declared;
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
