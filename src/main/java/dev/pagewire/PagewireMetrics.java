package dev.pagewire;

import dev.pagewire.metrics.CallTimers;
import dev.pagewire.metrics.Meters;
import dev.pagewire.metrics.Tally;
import dev.pagewire.push.PageCensus;
import dev.pagewire.push.PageRegistry;
import dev.pagewire.transport.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one {@link Pagewire} has done and holds now, for dashboards and alerts: calls, refusals,
 * pages, queues, pushes and bytes ({@link Pagewire#metrics()}; every name in {@code
 * docs/OBSERVABILITY.md}). The same figures are MBeans under {@code dev.pagewire:type=...,name=}
 * {@link #name()}, and {@code pagewire-micrometer} binds them to a Micrometer registry.
 *
 * <p>Counters only grow, from 0 when the Pagewire was built. Tags are bounded: proxy and method
 * names, call outcomes, refusal codes and delivery modes, never a page id or a path.
 *
 * <p><b>Threading.</b> Any thread may read. Counters are sums of adders (no lock, nothing the
 * request threads wait for); the figures about the present ({@link #livePages(DeliveryMode)},
 * {@link #queuedUpdates()}, {@link #ackLagMillis()}) walk the live pages once per read, so a
 * scrape every few seconds is cheap and a read per request is not meant.
 */
public final class PagewireMetrics {
    /** The outcome tags of call timers: {@code ok}, or the error code the page got. */
    public static final List<String> CALL_OUTCOMES = CallTimers.OUTCOMES;
    /** The refusal codes counted, each a tag; {@code OTHER} counts any code not listed. */
    public static final List<String> REFUSAL_CODES = Meters.REFUSAL_CODES;

    private final String name;
    private final Meters meters;
    private final PageRegistry pages;
    private final Transports transports;
    private final List<CallTimer> calls;

    PagewireMetrics(String name, Meters meters, PageRegistry pages, Transports transports,
                    Iterable<CallTimers> timers) {
        this.name = name;
        this.meters = meters;
        this.pages = pages;
        this.transports = transports;
        List<CallTimer> all = new ArrayList<>();
        for (CallTimers t : timers) {
            for (String outcome : CALL_OUTCOMES) {
                all.add(new CallTimer(t.proxy(), t.method(), outcome, t.of(outcome)));
            }
        }
        this.calls = List.copyOf(all);
    }

    /** The Pagewire's name in this JVM ({@link Pagewire.Builder#name}), as in its MBeans' names. */
    public String name() {
        return name;
    }

    /**
     * A timer per proxy, method name and outcome, all of them from the start (zeros included),
     * in proxy order: calls that reached their method, from reading the arguments to the reply
     * (a method returning a stage: until the stage completed).
     */
    public List<CallTimer> calls() {
        return calls;
    }

    /** Calls naming no exposed proxy or method ({@code NOT_FOUND}; untagged, the names are the client's). */
    public long callsNotFound() {
        return meters.callsNotFound.sum();
    }

    /** Batches of calls received (a {@code POST call}, or one socket frame of calls). */
    public long batches() {
        return meters.batchSizes.count();
    }

    /** Calls received in batches, over all batches: with {@link #batches()}, the mean batch size. */
    public long batchCalls() {
        return meters.batchSizes.total();
    }

    /** The largest batch received, in calls. */
    public long maxBatchSize() {
        return meters.batchSizes.max();
    }

    /** Requests refused with {@code code}, one of {@link #REFUSAL_CODES} (0 for another). */
    public long refusals(String code) {
        return meters.refusals(code);
    }

    /** Pages live now (this node's copies, with a backend that keeps pages). */
    public int livePages() {
        return pages.size();
    }

    /** Pages live now whose delivery mode is {@code mode}; 0 for {@link DeliveryMode#AUTO}, which is no page's mode. */
    public int livePages(DeliveryMode mode) {
        return PageCensus.of(pages).byMode().get(mode);
    }

    /** Comet polls and SSE streams held open now (WebSockets are not held requests: {@link #openSockets()}). */
    public int heldRequests() {
        return transports.heldRequests();
    }

    /**
     * Page WebSockets open now, each a connection and a file descriptor but no thread: a page's
     * own socket, or a leader tab's that carries its other tabs' pages too (one socket, several
     * pages), or a socket upgraded that has not said hello yet.
     */
    public int openSockets() {
        return transports.openSockets();
    }

    /** Updates queued for live pages and not yet acknowledged, over all pages. */
    public long queuedUpdates() {
        return PageCensus.of(pages).queuedUpdates();
    }

    /**
     * The ack lag: how long, in milliseconds, the page waiting longest has had updates without
     * acknowledging any (since its queue last became non-empty or last had updates
     * acknowledged); 0 when every page is up to date.
     */
    public long ackLagMillis() {
        return PageCensus.of(pages).ackLagNanos() / 1_000_000;
    }

    /** Pushes appended on this node (each to all its target pages). */
    public long pushes() {
        return meters.pushFanOut.count();
    }

    /** Nanoseconds spent appending pushes to their target pages' queues, in all. */
    public long pushFanOutNanos() {
        return meters.pushFanOut.total();
    }

    /** The longest one push took to reach all its target pages' queues, in nanoseconds. */
    public long maxPushFanOutNanos() {
        return meters.pushFanOut.max();
    }

    /** Updates appended to page queues: one per push per target page. */
    public long updatesQueued() {
        return meters.updatesQueued.sum();
    }

    /** Updates written to a page again, because it had not acknowledged them (a lost write, a reconnect). */
    public long resends() {
        return meters.resends.sum();
    }

    /** Pages told to resync: their queue overflowed, or a backend missed pushes. */
    public long resyncs() {
        return meters.resyncs.sum();
    }

    /** Page queues that passed {@code maxQueuedUpdates} or {@code maxQueuedChars}. */
    public long overflows() {
        return meters.overflows.sum();
    }

    /**
     * Bytes of call replies, polls, Comet replies, SSE streams and socket frames handed to the
     * container (socket frames and call replies written at once are counted in characters, the
     * same for ASCII).
     */
    public long bytesWritten() {
        return meters.bytesWritten.sum();
    }

    /** Pushes to a function the page had not exposed, as pages reported them. */
    public long unexposedCalls() {
        return meters.unexposedCalls.sum();
    }

    /** The unexposed function names pages reported (the first 100). */
    public Set<String> unexposedFunctions() {
        return meters.unexposedNames();
    }

    /** A call timer: calls of one proxy and method name that ended with one outcome. */
    public static final class CallTimer {
        private final String proxy;
        private final String method;
        private final String outcome;
        private final Tally tally;

        CallTimer(String proxy, String method, String outcome, Tally tally) {
            this.proxy = proxy;
            this.method = method;
            this.outcome = outcome;
            this.tally = tally;
        }

        /** The proxy's name. */
        public String proxy() {
            return proxy;
        }

        /** The method's name (overloads share a timer). */
        public String method() {
            return method;
        }

        /** {@code ok} or an error code, one of {@link #CALL_OUTCOMES}. */
        public String outcome() {
            return outcome;
        }

        /** Calls counted. */
        public long count() {
            return tally.count();
        }

        /** Their time in all, in nanoseconds. */
        public long totalNanos() {
            return tally.total();
        }

        /** The longest of them, in nanoseconds. */
        public long maxNanos() {
            return tally.max();
        }
    }
}
