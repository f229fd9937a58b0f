package dev.pagewire.micrometer;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.PagewireMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Registers a {@link Pagewire}'s figures ({@link Pagewire#metrics()}) in a Micrometer
 * {@link MeterRegistry}: call timers by proxy, method and outcome, refusals by code, pages by
 * delivery mode, held requests, open sockets, queued updates, ack lag, batch sizes, push fan-out, resends,
 * resyncs, overflows, bytes written. Every meter is tagged {@code pagewire} with the Pagewire's
 * name; the meter names are those of {@code docs/OBSERVABILITY.md}.
 *
 * <pre>{@code
 * new PagewireMeterBinder(pagewire).bindTo(registry);
 * }</pre>
 *
 * <p>The meters are function meters over Pagewire's own counters: binding adds no work to
 * requests, and every meter exists from the start (all proxies, methods, outcomes and codes), so
 * the set is bounded and fixed when the Pagewire is built.
 *
 * <p><b>Threading.</b> {@link #bindTo} runs once on the caller's thread; the registry reads the
 * figures on its own threads (a scrape, a publishing step), which is safe at any time.
 */
public final class PagewireMeterBinder implements MeterBinder {
    private final PagewireMetrics metrics;
    private final Tags tags;

    /** Binds {@code pagewire}'s figures, tagged {@code pagewire=}its name. */
    public PagewireMeterBinder(Pagewire pagewire) {
        this(pagewire, Tags.empty());
    }

    /** Binds {@code pagewire}'s figures with {@code extraTags} on every meter, besides {@code pagewire}. */
    public PagewireMeterBinder(Pagewire pagewire, Iterable<io.micrometer.core.instrument.Tag> extraTags) {
        this.metrics = pagewire.metrics();
        this.tags = Tags.of(extraTags).and("pagewire", metrics.name());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindCalls(registry);
        for (String code : PagewireMetrics.REFUSAL_CODES) {
            counter(registry, "pagewire.refusals", "requests refused as a whole", m -> m.refusals(code), Tags.of("code", code));
        }
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode == DeliveryMode.AUTO) {
                continue; // a choice: no page is in it
            }
            Gauge.builder("pagewire.pages", metrics, m -> m.livePages(mode)).tags(tags).tag("mode", mode.wireName())
                    .description("live pages by delivery mode").register(registry);
        }
        gauge(registry, "pagewire.held.requests", "Comet polls and SSE streams open", PagewireMetrics::heldRequests);
        gauge(registry, "pagewire.open.sockets", "page WebSockets open", PagewireMetrics::openSockets);
        gauge(registry, "pagewire.queued.updates", "updates queued and not yet acknowledged",
                PagewireMetrics::queuedUpdates);
        TimeGauge.builder("pagewire.ack.lag", metrics, TimeUnit.MILLISECONDS, PagewireMetrics::ackLagMillis)
                .tags(tags).description("how long the page waiting longest has had updates unacknowledged")
                .register(registry);
        counter(registry, "pagewire.batches", "batches of calls received", PagewireMetrics::batches, Tags.empty());
        counter(registry, "pagewire.batch.calls", "calls received in batches", PagewireMetrics::batchCalls, Tags.empty());
        gauge(registry, "pagewire.batch.size.max", "the largest batch received", PagewireMetrics::maxBatchSize);
        counter(registry, "pagewire.calls.not.found", "calls naming no exposed proxy or method",
                PagewireMetrics::callsNotFound, Tags.empty());
        FunctionTimer.builder("pagewire.push.fanout", metrics, PagewireMetrics::pushes,
                        PagewireMetrics::pushFanOutNanos, TimeUnit.NANOSECONDS)
                .tags(tags).description("appending a push to all its target pages' queues").register(registry);
        counter(registry, "pagewire.updates.queued", "updates appended, one per push per page",
                PagewireMetrics::updatesQueued, Tags.empty());
        counter(registry, "pagewire.resends", "updates written again, unacknowledged", PagewireMetrics::resends, Tags.empty());
        counter(registry, "pagewire.resyncs", "pages told to resync", PagewireMetrics::resyncs, Tags.empty());
        counter(registry, "pagewire.overflows", "page queues past their bounds", PagewireMetrics::overflows, Tags.empty());
        FunctionCounter.builder("pagewire.bytes.written", metrics, PagewireMetrics::bytesWritten).tags(tags)
                .baseUnit("bytes").description("reply, stream and socket bytes handed to the container")
                .register(registry);
        counter(registry, "pagewire.unexposed.calls", "pushes to functions pages had not exposed",
                PagewireMetrics::unexposedCalls, Tags.empty());
    }

    /** One timer per proxy, method name and outcome, all registered now. */
    private void bindCalls(MeterRegistry registry) {
        for (PagewireMetrics.CallTimer timer : metrics.calls()) {
            FunctionTimer.builder("pagewire.calls", timer, PagewireMetrics.CallTimer::count,
                            PagewireMetrics.CallTimer::totalNanos, TimeUnit.NANOSECONDS)
                    .tags(tags).tag("proxy", timer.proxy()).tag("method", timer.method()).tag("outcome", timer.outcome())
                    .description("calls that reached their method, to the reply").register(registry);
        }
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<PagewireMetrics> count, Tags more) {
        FunctionCounter.builder(name, metrics, count).tags(tags).tags(more).description(description).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<PagewireMetrics> value) {
        Gauge.builder(name, metrics, value).tags(tags).description(description).register(registry);
    }
}
