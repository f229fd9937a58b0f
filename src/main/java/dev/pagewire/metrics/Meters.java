package dev.pagewire.metrics;

import dev.pagewire.web.RequestLog;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures one Pagewire counts as it works: refusals by code, batch sizes, call timers (kept
 * by {@code remoting.CallDispatcher}), push fan-out, resends, resyncs, overflows and bytes
 * written. Figures that describe the present (live pages, held requests, queue depth, ack lag)
 * are read from the registries when asked, not counted here.
 *
 * <p>The tags are bounded: refusal codes are a fixed list ({@link #REFUSAL_CODES}, anything else
 * counts as {@code OTHER}), call timers are per proxy and method name, and no page id or path is
 * ever a tag.
 *
 * <p><b>Threading.</b> Any thread records; nothing allocates or locks on the way (adders, and a
 * map filled once at construction). The names of unexposed functions that pages report are a
 * concurrent set, bounded by {@link #MAX_UNEXPOSED_NAMES}.
 */
public final class Meters {
    /** Every code a Pagewire refuses a request with, plus {@code OTHER}. */
    public static final List<String> REFUSAL_CODES = List.of("MALFORMED", "TOO_MANY_CALLS", "BAD_TOKEN",
            "FORBIDDEN_HOST", "FORBIDDEN_ORIGIN", "MODE_NOT_ALLOWED", "NO_BROWSER_COOKIE", "NO_HTTP_SESSION_COOKIE",
            "NOT_FOUND", "METHOD_NOT_ALLOWED", "PAGE_UNKNOWN", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE",
            "TOO_MANY_HANDSHAKES", "INTERNAL", "WEBSOCKET_UNAVAILABLE", "HTTP_SESSION_REFUSED", "STORE_UNAVAILABLE",
            "TOO_MANY_PAGES", "DOWNLOAD_GONE", "DOWNLOAD_FORBIDDEN", "RANGE_NOT_SATISFIABLE", "BATCH_REPEATED",
            "SHARING_OFF", "SHUTTING_DOWN", "OTHER");
    /** Unexposed function names remembered (and logged once each); later ones are counted only. */
    public static final int MAX_UNEXPOSED_NAMES = 100;

    private static final System.Logger LOG = System.getLogger("dev.pagewire.push");

    private final Map<String, LongAdder> refusals;
    private final LongAdder other;
    /** Calls per batch, of {@code POST call} and of socket batches. */
    public final Tally batchSizes = new Tally();
    /** Calls that named no exposed proxy or method ({@code NOT_FOUND}): no tags to time them under. */
    public final LongAdder callsNotFound = new LongAdder();
    /** Nanoseconds to append one push to the queues of all its target pages on this node. */
    public final Tally pushFanOut = new Tally();
    /** Updates appended to page queues (one per push per target page). */
    public final LongAdder updatesQueued = new LongAdder();
    /** Updates written to a page again because it had not acknowledged them. */
    public final LongAdder resends = new LongAdder();
    /** Pages told to resync (their queue overflowed, or a backend missed pushes). */
    public final LongAdder resyncs = new LongAdder();
    /** Page queues that passed their bounds ({@code maxQueuedUpdates}, {@code maxQueuedChars}). */
    public final LongAdder overflows = new LongAdder();
    /** Bytes of replies, Comet and SSE bodies and socket frames handed to the container. */
    public final LongAdder bytesWritten = new LongAdder();
    /** Pushes to a function the page had not exposed, as the pages reported them. */
    public final LongAdder unexposedCalls = new LongAdder();
    private final Set<String> unexposedNames = ConcurrentHashMap.newKeySet();

    /** Zeroed figures, every refusal code present. */
    public Meters() {
        Map<String, LongAdder> map = new LinkedHashMap<>();
        for (String code : REFUSAL_CODES) {
            map.put(code, new LongAdder());
        }
        this.refusals = Map.copyOf(map);
        this.other = refusals.get("OTHER");
    }

    /** Counts a request refused with {@code code}. */
    public void refused(String code) {
        refusals.getOrDefault(code, other).increment();
    }

    /** How many requests were refused with {@code code} (one of {@link #REFUSAL_CODES}). */
    public long refusals(String code) {
        LongAdder n = refusals.get(code);
        return n == null ? 0 : n.sum();
    }

    /**
     * Counts a page's report that a push named {@code function}, which it has not exposed, and
     * logs the name at WARNING the first time (up to {@link #MAX_UNEXPOSED_NAMES} names).
     */
    public void unexposed(String function) {
        unexposedCalls.increment();
        if (unexposedNames.size() < MAX_UNEXPOSED_NAMES && unexposedNames.add(function)) {
            LOG.log(Level.WARNING, "a push called '" + RequestLog.printable(clip(function))
                    + "', which the page has not exposed (logged once per name)");
        }
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** The unexposed function names pages reported, as far as remembered. */
    public Set<String> unexposedNames() {
        return Set.copyOf(unexposedNames);
    }
}
