package dev.pagewire.remoting;

import dev.pagewire.CallFilter;
import dev.pagewire.ClientVisible;
import dev.pagewire.FileDownload;
import dev.pagewire.FileUpload;
import dev.pagewire.Pages;
import dev.pagewire.RemoteCall;
import dev.pagewire.Page;
import dev.pagewire.convert.ConversionException;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.files.Downloads;
import dev.pagewire.metrics.CallTimers;
import dev.pagewire.metrics.Meters;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Starts the calls of a batch in order on the request's thread: finds the method by proxy, name
 * and argument count, converts the arguments to the declared types, supplies injected
 * parameters, checks the caller's roles, picks the instance by scope and invokes it through the
 * application's {@link CallFilter}s. Every failure becomes a {@link CallError} for that call
 * alone; the next call of the batch still runs.
 *
 * <p>A method returning a {@link CompletionStage} has returned when its stage does; the next call
 * starts without waiting for it, and the stage's value (or failure, under the same rules as a
 * thrown exception) becomes the call's reply when it completes. Calls whose turn comes after the
 * batch's time budget is spent are not started ({@link BatchRun}).
 *
 * <p><b>Threading.</b> Thread-safe: it holds only immutable configuration. Arguments, injected
 * parameters and filters run on the request's thread; a stage's reply is made on the thread that
 * completes it.
 */
public final class CallDispatcher {
    private final ProxyRegistry registry;
    private final JsonCodec codec;
    private final Set<Class<? extends Throwable>> clientVisible;
    private final Pages pages;
    private final List<CallFilter> filters;
    private final Duration budget;
    private final Meters meters;
    private final Map<RemoteMethodInfo, CallTimers> timers;
    private final List<CallTimers> orderedTimers;
    private final Offers offers;

    /**
     * {@code budget}: the time a batch's calls may take in all; {@code meters}: where batch sizes
     * and the call timers of {@link #timers()} are counted; {@code offers}: where a returned
     * {@link FileDownload} is offered to the page.
     */
    public CallDispatcher(ProxyRegistry registry, JsonCodec codec, Set<Class<? extends Throwable>> clientVisible,
                          Pages pages, List<CallFilter> filters, Duration budget, Meters meters,
                          Offers offers) {
        this.meters = meters;
        this.offers = offers;
        List<CallTimers> ordered = new ArrayList<>();
        this.timers = timersOf(registry, ordered);
        this.orderedTimers = List.copyOf(ordered);
        this.registry = registry;
        this.codec = codec;
        this.clientVisible = Set.copyOf(clientVisible);
        this.pages = pages;
        this.filters = List.copyOf(filters);
        this.budget = budget;
    }

    /**
     * Starts every call of {@code batch} in order, skipping those whose turn comes after the
     * budget is spent; the run yields one reply per call, in the same order.
     */
    public BatchRun dispatch(CallBatch batch, HttpServletRequest request, Page page) {
        meters.batchSizes.record(batch.calls().size());
        BatchRun run = new BatchRun(batch.calls(), budget);
        for (int i = 0; i < batch.calls().size() && !run.budgetSpent(); i++) {
            run.add(i, dispatch(batch.calls().get(i), batch.files(), request, page));
        }
        return run;
    }

    CompletionStage<Reply> dispatch(Call call, List<FileUpload> files, HttpServletRequest request, Page page) {
        long start = System.nanoTime();
        RemoteProxyInfo proxy = registry.find(call.proxy());
        if (proxy == null) {
            meters.callsNotFound.increment();
            return failed(call.id(), CallError.notFound("no proxy named '" + clip(call.proxy()) + "'"));
        }
        int arity = call.args().size();
        RemoteMethodInfo method = proxy.find(call.method(), arity);
        if (method == null) {
            meters.callsNotFound.increment();
            return failed(call.id(), CallError.notFound(proxy.hasMethod(call.method())
                    ? proxy.name() + "." + call.method() + " does not take " + arity + " argument(s)"
                    : "no method " + proxy.name() + "." + clip(call.method())));
        }
        CallTimers timer = timers.get(method);
        Object[] args;
        try {
            args = arguments(proxy, method, call, files, request, page);
        } catch (ConversionException e) {
            return timed(timer, start, failed(call.id(), CallError.badArguments(e.getMessage())));
        }
        return timed(timer, start, invoke(call.id(), proxy, method, args, request, page));
    }

    /**
     * Records the call's time and outcome on its timer: now, for a reply already made (no
     * allocation), or when a stage completes.
     */
    private static CompletionStage<Reply> timed(CallTimers timer, long start, CompletionStage<Reply> reply) {
        if (reply instanceof CompletableFuture<Reply> done && done.isDone() && !done.isCompletedExceptionally()) {
            record(timer, start, done.join());
            return reply;
        }
        return reply.whenComplete((r, e) -> record(timer, start, r));
    }

    private static void record(CallTimers timer, long start, Reply reply) {
        timer.record(reply == null || reply.error() == null ? null : reply.error().code(), System.nanoTime() - start);
    }

    /** The call timers, one per proxy and method name (overloads share theirs), sorted by proxy. */
    public Collection<CallTimers> timers() {
        return orderedTimers;
    }

    /**
     * The timer of each method, by identity (a record's hash would walk its parameters at every
     * call); {@code ordered} gets each timer once, in the registry's order (sorted by proxy).
     */
    private static Map<RemoteMethodInfo, CallTimers> timersOf(ProxyRegistry registry, List<CallTimers> ordered) {
        Map<RemoteMethodInfo, CallTimers> byMethod = new IdentityHashMap<>();
        for (RemoteProxyInfo proxy : registry.all()) {
            Map<String, CallTimers> byName = new HashMap<>();
            for (RemoteMethodInfo m : proxy.allMethods()) {
                byMethod.put(m, byName.computeIfAbsent(m.name(), name -> {
                    CallTimers t = new CallTimers(proxy.name(), name);
                    ordered.add(t);
                    return t;
                }));
            }
        }
        return byMethod;
    }

    private Object[] arguments(RemoteProxyInfo proxy, RemoteMethodInfo method, Call call, List<FileUpload> files,
                               HttpServletRequest request, Page page) {
        List<RemoteParameter> params = method.parameters();
        Object[] args = new Object[params.size()];
        int sent = 0;
        for (int i = 0; i < args.length; i++) {
            RemoteParameter p = params.get(i);
            if (!p.sent()) {
                args[i] = p.injected().resolve(request, page, pages);
                continue;
            }
            int index = sent++;
            try {
                args[i] = p.files() ? FileArguments.convert(call.args().get(index), p.type(), files)
                        : codec.fromJson(call.args().get(index), p.type());
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

    private CompletionStage<Reply> invoke(long id, RemoteProxyInfo proxy, RemoteMethodInfo method, Object[] args,
                                          HttpServletRequest request, Page page) {
        String where = method.label(proxy.name());
        if (!allowed(method, request)) {
            return failed(id, CallError.forbidden(where + " is not allowed for this user"));
        }
        Object result;
        try {
            Invocation call = new Invocation(proxy.name(), method.method(), method.invoker(), args, request, page);
            result = proceed(call, proxy, 0);
        } catch (Exception | StackOverflowError | LinkageError e) {
            return failed(id, failure(where, e));
        }
        if (method.async() && result instanceof CompletionStage<?> stage) {
            return stage.handle((value, e) -> e == null ? ok(id, value, method, request, page)
                    : Reply.failed(id, failure(where, e)));
        }
        return CompletableFuture.completedFuture(ok(id, result, method, request, page));
    }

    /** The reply of a call that returned {@code value}; a {@link FileDownload} is offered to the page's owner. */
    private Reply ok(long id, Object value, RemoteMethodInfo method, HttpServletRequest request, Page page) {
        if (value instanceof FileDownload file) {
            return Reply.ok(id, offers.offer(file, request, page), Downloads.Offered.class);
        }
        return Reply.ok(id, value, method.returnType());
    }

    private static CompletionStage<Reply> failed(long id, CallError error) {
        return CompletableFuture.completedFuture(Reply.failed(id, error));
    }

    /**
     * What the page sees of a failure, thrown or completing a stage: the exception itself if
     * client-visible, else an incident. A stage's {@code CompletionException} is looked through.
     */
    private CallError failure(String where, Throwable t) {
        Throwable cause = t instanceof MethodError || t instanceof CompletionException && t.getCause() != null
                ? t.getCause() : t;
        if (cause instanceof CallRefused refused) {
            return new CallError(refused.code(), null, refused.getMessage(), null);
        }
        if (cause instanceof Exception && isClientVisible(cause)) {
            return new CallError("EXCEPTION", cause.getClass().getSimpleName(),
                    cause.getMessage() == null ? "" : cause.getMessage(), null);
        }
        return Incidents.internal(where, cause);
    }

    /**
     * The filters from {@code index} on, then the method on the proxy's object, got only now: a
     * filter that refuses the call makes no instance, and one may set up what making it needs (a
     * framework's request context for a call over a socket). The method's own exception comes out
     * as it is.
     */
    private Object proceed(Invocation call, RemoteProxyInfo proxy, int index) throws Exception {
        if (index < filters.size()) {
            return filters.get(index).filter(call, () -> proceed(call, proxy, index + 1));
        }
        Object target = Instances.of(proxy, call.request(), call.page());
        try {
            return (Object) call.invoker().invokeExact(target, call.arguments());
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new MethodError(t);
        }
    }

    private static boolean allowed(RemoteMethodInfo method, HttpServletRequest request) {
        if (method.roles() == null) {
            return true;
        }
        if (request.getUserPrincipal() == null) {
            return false;
        }
        for (String role : method.roles()) {
            if (role.equals("*") || request.isUserInRole(role)) {
                return true;
            }
        }
        return false;
    }

    /** Offers a download a method returned to the page that called it. */
    @FunctionalInterface
    public interface Offers {
        /** Registers {@code file} for {@code page}'s owner; what the page receives for it. */
        Downloads.Offered offer(FileDownload file, HttpServletRequest request, Page page);
    }

    /** An {@link Error} the method threw, carried through the filters to become an incident. */
    private static final class MethodError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodError(Throwable cause) {
            super(cause);
        }
    }

    private record Invocation(String proxyName, Method method, MethodHandle invoker, Object[] arguments,
                              HttpServletRequest request, Page page) implements RemoteCall {
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
