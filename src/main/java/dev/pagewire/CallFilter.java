package dev.pagewire;

/**
 * Runs around remote calls, like a servlet filter around requests: authentication, logging,
 * timing, rate limits, auditing. Add filters with {@link Pagewire.Builder#filter(CallFilter)};
 * the first added runs outermost. Role checks ({@link Roles}) run before any filter; the exposed
 * object is got after the last one, just before the method runs, so a call a filter refuses makes
 * no instance (of a session- or page-scoped class), and a filter may set up what making one needs.
 *
 * <pre>{@code
 * builder.filter((call, chain) -> {
 *     long start = System.nanoTime();
 *     try {
 *         return chain.proceed();
 *     } finally {
 *         log.info(call.proxyName() + "." + call.method().getName() + " took " + (System.nanoTime() - start) + " ns");
 *     }
 * });
 * }</pre>
 *
 * A filter refuses a call by throwing instead of proceeding: throw an exception marked
 * {@link ClientVisible} to tell the page why; any other exception reaches the page as a generic
 * error with an incident id, exactly as if the method had thrown it. Filters run on the
 * request's thread and must be thread-safe. For a method returning a {@code CompletionStage},
 * {@code chain.proceed()} returns the stage, usually before it completes.
 */
@FunctionalInterface
public interface CallFilter {
    /** Handles {@code call}: usually by returning {@code chain.proceed()}. */
    Object filter(RemoteCall call, Chain chain) throws Exception;

    /** The rest of the chain: the next filter, or the method itself. */
    @FunctionalInterface
    interface Chain {
        /** Runs the rest of the chain and returns the method's result. */
        Object proceed() throws Exception;
    }
}
