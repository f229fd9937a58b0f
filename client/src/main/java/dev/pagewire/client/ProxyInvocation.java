package dev.pagewire.client;

import com.google.gson.JsonElement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Calls through a Java interface: each abstract method is the exposed method of that name,
 * called with the method's arguments. One returning {@link CompletableFuture} or
 * {@link CompletionStage} returns at once; any other blocks until the reply and throws
 * {@link PagewireCallException} for an error. Default methods run locally; {@code toString},
 * {@code equals} and {@code hashCode} are those of the proxy object.
 */
final class ProxyInvocation implements InvocationHandler {
    private final Calls calls;
    private final WireHttp http;
    private final String proxyName;

    private ProxyInvocation(Calls calls, WireHttp http, String proxyName) {
        this.calls = calls;
        this.http = http;
        this.proxyName = proxyName;
    }

    /** A {@code type} whose methods call the exposed proxy {@code proxyName}. */
    static <T> T create(Calls calls, WireHttp http, String proxyName, Class<T> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface");
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new ProxyInvocation(calls, http, proxyName));
        return type.cast(proxy);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return objectMethod(proxy, method, args);
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        CompletableFuture<JsonElement> reply = calls.call(proxyName, method.getName(), args);
        Class<?> returns = method.getReturnType();
        if (returns == CompletableFuture.class || returns == CompletionStage.class) {
            Type resultType = typeArgument(method.getGenericReturnType());
            return reply.thenApply(json -> convert(json, resultType));
        }
        JsonElement json;
        try {
            json = reply.join();
        } catch (CompletionException e) {
            throw Faults.of(e);
        }
        return returns == void.class ? null : convert(json, method.getGenericReturnType());
    }

    /** The result as {@code type}: a {@link FileDownload} from its {@code $download} object, anything else by gson. */
    private Object convert(JsonElement json, Type type) {
        if (type == FileDownload.class && !json.isJsonNull()) {
            FileDownload download = FileDownload.read(http, json);
            if (download == null) {
                throw new PagewireCallException("BAD_RESULT", "the method returned no file download: " + json);
            }
            return download;
        }
        return WireJson.read(json, type);
    }

    private Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "Pagewire proxy " + proxyName;
        };
    }

    private static Type typeArgument(Type future) {
        return future instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0] : Object.class;
    }
}
