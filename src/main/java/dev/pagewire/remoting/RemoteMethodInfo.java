package dev.pagewire.remoting;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Set;

/**
 * A callable method: its Java method, parameters, the number of arguments the page sends, and the
 * roles that may call it ({@code null}: anyone). Immutable.
 */
public record RemoteMethodInfo(String name, Method method, List<RemoteParameter> parameters, int arity,
                               Set<String> roles) {
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
