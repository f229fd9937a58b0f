package dev.pagewire.remoting;

import dev.pagewire.ClientVisible;
import dev.pagewire.Pages;
import dev.pagewire.ScriptSession;
import dev.pagewire.convert.ConversionException;
import dev.pagewire.convert.JsonCodec;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the calls of a batch in order on the request's thread: finds the method by proxy, name
 * and argument count, converts the arguments to the declared types, supplies injected
 * parameters, picks the instance by scope and invokes it. Every failure becomes a {@link
 * CallError} for that call alone; the next call of the batch still runs.
 *
 * <p>Thread-safe: it holds only immutable configuration.
 */
public final class CallDispatcher {
    private final ProxyRegistry registry;
    private final JsonCodec codec;
    private final Set<Class<? extends Throwable>> clientVisible;
    private final Pages pages;

    public CallDispatcher(ProxyRegistry registry, JsonCodec codec, Set<Class<? extends Throwable>> clientVisible,
                          Pages pages) {
        this.registry = registry;
        this.codec = codec;
        this.clientVisible = Set.copyOf(clientVisible);
        this.pages = pages;
    }

    /** Runs every call of {@code batch}, returning one reply per call in the same order. */
    public List<Reply> dispatch(CallBatch batch, HttpServletRequest request, ScriptSession session) {
        List<Reply> replies = new ArrayList<>(batch.calls().size());
        for (Call call : batch.calls()) {
            replies.add(dispatch(call, request, session));
        }
        return replies;
    }

    Reply dispatch(Call call, HttpServletRequest request, ScriptSession session) {
        RemoteProxyInfo proxy = registry.find(call.proxy());
        if (proxy == null) {
            return Reply.failed(call.id(), CallError.notFound("no proxy named '" + clip(call.proxy()) + "'"));
        }
        int arity = call.args().size();
        RemoteMethodInfo method = proxy.find(call.method(), arity);
        if (method == null) {
            return Reply.failed(call.id(), CallError.notFound(proxy.hasMethod(call.method())
                    ? proxy.name() + "." + call.method() + " does not take " + arity + " argument(s)"
                    : "no method " + proxy.name() + "." + clip(call.method())));
        }
        Object[] args;
        try {
            args = arguments(proxy, method, call, request, session);
        } catch (ConversionException e) {
            return Reply.failed(call.id(), CallError.badArguments(e.getMessage()));
        }
        return invoke(call.id(), proxy, method, args, request, session);
    }

    private Object[] arguments(RemoteProxyInfo proxy, RemoteMethodInfo method, Call call,
                               HttpServletRequest request, ScriptSession session) {
        List<RemoteParameter> params = method.parameters();
        Object[] args = new Object[params.size()];
        int sent = 0;
        for (int i = 0; i < args.length; i++) {
            RemoteParameter p = params.get(i);
            if (!p.sent()) {
                args[i] = p.injected().resolve(request, session, pages);
                continue;
            }
            int index = sent++;
            try {
                args[i] = codec.fromJson(call.args().get(index), p.type());
            } catch (ConversionException e) {
                throw argumentError(proxy, method, index, p.type(), e.getMessage());
            }
            if (args[i] == null && p.type() instanceof Class<?> c && c.isPrimitive()) {
                throw argumentError(proxy, method, index, c, "null is not a " + c.getName());
            }
        }
        return args;
    }

    private static ConversionException argumentError(RemoteProxyInfo proxy, RemoteMethodInfo method,
                                                     int index, Type type, String why) {
        return new ConversionException("argument " + index + " of " + method.label(proxy.name())
                + " must be " + type.getTypeName() + ": " + why);
    }

    private Reply invoke(long id, RemoteProxyInfo proxy, RemoteMethodInfo method, Object[] args,
                         HttpServletRequest request, ScriptSession session) {
        String where = method.label(proxy.name());
        try {
            Object target = Instances.of(proxy, request, session);
            Object result = method.method().invoke(target, args);
            return Reply.ok(id, result, method.returnType());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (isClientVisible(cause)) {
                return Reply.failed(id, new CallError("EXCEPTION", cause.getClass().getSimpleName(),
                        cause.getMessage() == null ? "" : cause.getMessage(), null));
            }
            return Reply.failed(id, Incidents.internal(where, cause));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Reply.failed(id, Incidents.internal(where, e));
        }
    }

    private boolean isClientVisible(Throwable t) {
        if (t.getClass().isAnnotationPresent(ClientVisible.class)) {
            return true;
        }
        for (Class<? extends Throwable> type : clientVisible) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
