package dev.pagewire.transport;

import dev.pagewire.DeliveryMode;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.Waiter;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The active transports: polling, Comet long-poll, SSE and WebSocket, with the delivery threads and the
 * housekeeper they share.
 *
 * <p><b>Threading.</b> {@value #MIN_DELIVERY_THREADS} daemon delivery threads, or one per core
 * where there are more cores ({@code pagewire-delivery-N}), answer Comet polls, encode and write
 * SSE events and WebSocket frames, as waiters woken by pushes hand them runs; a
 * third, the timer ({@code pagewire-timer}), runs what waits for a time: the housekeeping sweep,
 * Comet write windows and the end of a socket batch's time budget. None of that blocks (writes
 * are non-blocking; closing a socket whose reader stopped may wait up to 2 s), so they serve any
 * number of waiting pages. Runs go to a plain queue rather than the timer's: a broadcast to
 * thousands of pages makes thousands of runs, and a scheduler would put each in its time-ordered
 * heap under its lock. No thread is ever parked per page: a held request is an
 * {@link jakarta.servlet.AsyncContext} plus a small waiter object, a WebSocket a container session
 * plus its {@link SocketWriter}. {@link #close()} interrupts them all and waits up to
 * {@value #CLOSE_WAIT_MILLIS} ms for them to end, so a stopping web application leaves no thread
 * of its own running.
 *
 * <p><b>Logging.</b> Under {@code dev.pagewire.transport} at DEBUG: a page's change of delivery
 * mode, a fallback to polling at the held-request cap, and a mode refused by the delivery rules.
 */
public final class Transports implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.transport");
    /**
     * Fewest delivery threads. More than the cores, because a broadcast's deliveries share the
     * cores with the container's request threads, which the pages answered first keep busy with
     * their next poll or acknowledgement: two delivery threads among dozens of runnable request
     * threads got too small a share, and the last pages of a broadcast waited. Measured against
     * two in the same runs, eight gave p99 0.75-0.95x for Comet, SSE and WebSocket pages at 1,000
     * to 19,500 pages, except SSE in the project's own bench at 5,000 pages (1.2x); the medians
     * rise, as one broadcast's deliveries interleave (docs/BENCHMARKS.md). Idle delivery threads
     * cost nothing but their stacks.
     */
    static final int MIN_DELIVERY_THREADS = 8;
    /** How long {@link #close()} waits for its threads to end, all together. */
    static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final byte[] FALLBACK_EVENT = "event: fallback\ndata: polling\n\n".getBytes(StandardCharsets.UTF_8);

    private final TransportSettings settings;
    private final HeldRequests held;
    private final ThreadPoolExecutor delivery;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet(); // the pools' threads, for close()
    private volatile boolean draining;
    private final LongAdder written; // bytes handed to the container, for the figures
    private final AtomicInteger openSockets = new AtomicInteger(); // page WebSockets, for the figures

    /**
     * @param housekeeping run every {@code sweepEvery} on the timer thread: expiry and heartbeats
     */
    public Transports(TransportSettings settings, Runnable housekeeping, Duration sweepEvery, LongAdder written) {
        this.settings = settings;
        this.written = written;
        this.held = new HeldRequests(settings.maxHeldPerHttpSession());
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(MIN_DELIVERY_THREADS, Runtime.getRuntime().availableProcessors());
        this.delivery = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedTransferQueue<>(),
                r -> daemon(r, "pagewire-delivery-" + n.incrementAndGet()));
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "pagewire-timer"));
        timer.setRemoveOnCancelPolicy(true);
        long sweep = Math.max(20, sweepEvery.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                housekeeping.run();
            } catch (RuntimeException e) {
                Incidents.log("the housekeeper", e);
            }
        }, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.removeIf(old -> old.getState() == Thread.State.TERMINATED); // a pool replaces a thread a task killed
        threads.add(t);
        return t;
    }

    public TransportSettings settings() {
        return settings;
    }

    /** Held requests open now, across all HTTP sessions. */
    public int heldRequests() {
        return held.total();
    }

    /** Page WebSockets open now, from the upgrade to the close (with or without their hello). */
    public int openSockets() {
        return openSockets.get();
    }

    /** A page WebSocket opened: on the container's thread that opened it. */
    public void socketOpened() {
        openSockets.incrementAndGet();
    }

    /** A page WebSocket closed, however it closed: on the container's thread that reports the close, once per socket. */
    public void socketClosed() {
        openSockets.decrementAndGet();
    }

    /**
     * For a graceful stop: ends the held request of each of {@code pages} now (a Comet poll is
     * answered with what is queued; a stream or socket closes) and refuses every later one with
     * 503 {@code SHUTTING_DOWN}. Polls without hold and calls are still answered.
     */
    public void drain(Collection<LivePage> pages) {
        draining = true;
        for (LivePage page : pages) {
            closePrevious(page);
        }
    }

    /** Whether {@link #drain} ran: a graceful stop is under way. */
    public boolean draining() {
        return draining;
    }

    /**
     * @throws Refusal 503 {@code SHUTTING_DOWN}, with {@code Retry-After}, once {@link #drain} ran:
     *                 a page asking to hold a request reconnects elsewhere, or here once the server is back
     */
    public void requireNotDraining(HttpServletResponse response) {
        if (draining) {
            response.setHeader("Retry-After", "1");
            throw new Refusal(503, "SHUTTING_DOWN", "this server is stopping; connect again in a moment");
        }
    }

    /**
     * {@code POST poll}: answers at once ({@code hold} false: polling, or a check by a page whose
     * stream failed), or holds the request (Comet).
     */
    public void poll(HttpServletRequest request, HttpServletResponse response, LivePage page,
                     long ack, boolean hold) throws IOException {
        requireAllowed(hold ? DeliveryMode.COMET : null, page);
        page.ack(ack);
        if (hold) {
            requireNotDraining(response);
        }
        if (hold) {
            closePrevious(page);
        }
        if (hold && held.tryAcquire(page.httpKey())) {
            use(page, DeliveryMode.COMET);
            prepare(response, "application/json");
            AsyncOutput output = AsyncOutput.start(request, response, settings.hold().toMillis(), written);
            LongPoll poll = new LongPoll(page, ack, output, held, delivery, timer, settings.writeWindow().toMillis());
            output.owner(poll);
            poll.start();
            return;
        }
        if (hold) {
            fellBack(page, DeliveryMode.COMET);
        } else if (!streaming(page)) {
            use(page, DeliveryMode.POLLING);
        }
        prepare(response, "application/json");
        // Answered at once, so the page may take the server's time from it (a held poll's hold would spoil it).
        String time = ",\"time\":" + settings.clock().millis();
        byte[] reply = UpdateFormat.pollReply(page.queue().pending(ack), hold ? ",\"fallback\":\"polling\"" + time : time);
        written.add(reply.length);
        response.getOutputStream().write(reply);
    }

    /** {@code GET stream}: Server-Sent Events until the page leaves or the lifetime ends. */
    public void stream(HttpServletRequest request, HttpServletResponse response, LivePage page, long ack)
            throws IOException {
        requireAllowed(DeliveryMode.SSE, page);
        page.ack(ack);
        requireNotDraining(response);
        prepare(response, "text/event-stream");
        response.setHeader("X-Accel-Buffering", "no");
        closePrevious(page);
        if (!held.tryAcquire(page.httpKey())) {
            fellBack(page, DeliveryMode.SSE);
            response.getOutputStream().write(FALLBACK_EVENT);
            return;
        }
        use(page, DeliveryMode.SSE);
        AsyncOutput output = AsyncOutput.start(request, response, settings.streamLifetime().toMillis(), written);
        EventStream stream = new EventStream(page, ack, output, held, delivery);
        output.owner(stream);
        stream.start();
    }

    /**
     * A WebSocket of {@code page} said hello with {@code ack}: makes its writer the page's waiter,
     * which sends {@code greeting} and then every update above {@code ack}. A socket holds none of
     * the browser's HTTP connections, so it does not count against the held-request cap.
     *
     * @throws Refusal 403 {@code MODE_NOT_ALLOWED} when the page's rules do not allow websocket
     */
    public SocketWriter socket(LivePage page, long ack, SocketWriter.Output output, String greeting) {
        requireAllowed(DeliveryMode.WEBSOCKET, page);
        page.ack(ack);
        closePrevious(page);
        use(page, DeliveryMode.WEBSOCKET);
        SocketWriter writer = new SocketWriter(page, ack, output, delivery, settings.socketMaxQueuedChars(),
                settings.socketSendTimeout().toMillis(), written);
        writer.start(greeting);
        return writer;
    }

    /** Runs {@code task} on the timer thread after {@code millis}: for a socket batch's time budget. */
    public ScheduledFuture<?> schedule(Runnable task, long millis) {
        return timer.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * A page asking again has given up on its previous held request (often a connection cut that
     * the server has not noticed yet): end that one first, so it does not count against the cap.
     */
    private static void closePrevious(LivePage page) {
        Waiter previous = page.queue().replaceWaiter(null);
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * Stops the delivery and timer threads and waits up to {@value #CLOSE_WAIT_MILLIS} ms for them
     * to end (not for itself, called on one of them); held requests end with their pages.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        delivery.shutdownNow();
        Thread self = Thread.currentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (t != self && left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting; what still runs is reported below
        }
        List<String> running = threads.stream().filter(t -> t != self && t.isAlive()).map(Thread::getName).toList();
        if (!running.isEmpty()) {
            LOG.log(Level.WARNING, "closed, but " + running + " still running after " + CLOSE_WAIT_MILLIS + " ms");
        }
    }

    /** A poll without hold ({@code mode} null) is the fallback and the check after a stream failed. */
    private static void requireAllowed(DeliveryMode mode, LivePage page) {
        DeliveryRules.Advice advice = page.advice();
        if (mode == null ? !advice.allowsActive() : !advice.allows(mode)) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "delivery mode refused: page " + page.id() + " asked for "
                        + (mode == null ? "polling" : mode.wireName()) + "; allowed: " + advice.allowedInOrder());
            }
            throw new Refusal(403, "MODE_NOT_ALLOWED", (mode == null ? "polling" : mode.wireName())
                    + " is not allowed for " + page.path() + "; allowed: " + advice.allowedInOrder());
        }
    }

    /**
     * Whether {@code page} has its stream or socket open now: a poll without hold beside it is a
     * check or a refresh of the HTTP session, not polling. Once the stream or socket is gone (the
     * page chose polling, even with its socket open already), its polls record polling.
     */
    private static boolean streaming(LivePage page) {
        DeliveryMode mode = page.deliveryMode();
        return (mode == DeliveryMode.SSE || mode == DeliveryMode.WEBSOCKET) && page.queue().waiter() != null;
    }

    /** Records that {@code page} asks for updates by {@code mode} now, and logs a change. */
    private static void use(LivePage page, DeliveryMode mode) {
        DeliveryMode before = page.deliveryMode();
        page.deliveryMode(mode);
        if (before != mode && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "delivery mode changed: page " + page.id() + " " + before.wireName()
                    + " -> " + mode.wireName());
        }
    }

    private void fellBack(LivePage page, DeliveryMode asked) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "delivery fallback: page " + page.id() + " asked for " + asked.wireName()
                    + ", its browser holds its maximum of " + settings.maxHeldPerHttpSession()
                    + " held requests; polling instead");
        }
    }

    private static void prepare(HttpServletResponse response, String type) {
        response.setStatus(200);
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
