package dev.pagewire.metrics;

import java.util.List;

/**
 * The call timers of one remote method name of one proxy: one {@link Tally} in nanoseconds per
 * outcome, {@code ok} or the {@link #OUTCOMES error code} the page got. Overloads of one name
 * share them, so the tags are proxy, method and outcome: a bounded set fixed when the
 * configuration is built.
 *
 * <p><b>Threading.</b> As {@link Tally}: any thread records and reads.
 */
public final class CallTimers {
    /** The outcomes of a call that reached its method, in the order of {@link #all()}. */
    public static final List<String> OUTCOMES = List.of("ok", "BAD_ARGUMENTS", "FORBIDDEN", "EXCEPTION", "INTERNAL");

    private final String proxy;
    private final String method;
    private final Tally[] byOutcome = new Tally[OUTCOMES.size()];

    /** Timers for {@code proxy.method}. */
    public CallTimers(String proxy, String method) {
        this.proxy = proxy;
        this.method = method;
        for (int i = 0; i < byOutcome.length; i++) {
            byOutcome[i] = new Tally();
        }
    }

    /** The proxy's name. */
    public String proxy() {
        return proxy;
    }

    /** The method's name. */
    public String method() {
        return method;
    }

    /** Records a call that took {@code nanos} and ended with {@code code} ({@code null}: ok). */
    public void record(String code, long nanos) {
        byOutcome[index(code)].record(nanos);
    }

    /** The timer of {@code outcome}, one of {@link #OUTCOMES}. */
    public Tally of(String outcome) {
        return byOutcome[index(outcome)];
    }

    private static int index(String code) {
        if (code == null) {
            return 0;
        }
        return switch (code) {
            case "ok" -> 0;
            case "BAD_ARGUMENTS" -> 1;
            case "FORBIDDEN" -> 2;
            case "EXCEPTION" -> 3;
            default -> 4; // INTERNAL, and anything unforeseen
        };
    }
}
