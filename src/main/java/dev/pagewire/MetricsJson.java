package dev.pagewire;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The figures of {@link PagewireMetrics} as one JSON object, for the debug page's live view
 * ({@code GET {mount}/metrics.json}, served only while debug is on). Calls and refusals appear
 * once counted; the names are those of {@code docs/OBSERVABILITY.md}.
 */
final class MetricsJson {
    private MetricsJson() {
    }

    static String of(PagewireMetrics m) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject().name("name").value(m.name())
                    .name("livePages").value(m.livePages())
                    .name("livePagesByMode").beginObject();
            for (DeliveryMode mode : DeliveryMode.values()) {
                if (mode != DeliveryMode.AUTO) { // a choice: no page is in it
                    w.name(mode.wireName()).value(m.livePages(mode));
                }
            }
            w.endObject()
                    .name("heldRequests").value(m.heldRequests())
                    .name("openSockets").value(m.openSockets())
                    .name("queuedUpdates").value(m.queuedUpdates())
                    .name("ackLagMillis").value(m.ackLagMillis())
                    .name("batches").value(m.batches())
                    .name("batchCalls").value(m.batchCalls())
                    .name("maxBatchSize").value(m.maxBatchSize())
                    .name("callsNotFound").value(m.callsNotFound())
                    .name("pushes").value(m.pushes())
                    .name("pushFanOutNanos").value(m.pushFanOutNanos())
                    .name("maxPushFanOutNanos").value(m.maxPushFanOutNanos())
                    .name("updatesQueued").value(m.updatesQueued())
                    .name("resends").value(m.resends())
                    .name("resyncs").value(m.resyncs())
                    .name("overflows").value(m.overflows())
                    .name("bytesWritten").value(m.bytesWritten())
                    .name("unexposedCalls").value(m.unexposedCalls());
            w.name("refusals").beginObject();
            for (String code : PagewireMetrics.REFUSAL_CODES) {
                if (m.refusals(code) > 0) {
                    w.name(code).value(m.refusals(code));
                }
            }
            w.endObject().name("calls").beginArray();
            for (PagewireMetrics.CallTimer t : m.calls()) {
                if (t.count() > 0) {
                    w.beginObject().name("proxy").value(t.proxy()).name("method").value(t.method())
                            .name("outcome").value(t.outcome()).name("count").value(t.count())
                            .name("totalNanos").value(t.totalNanos()).name("maxNanos").value(t.maxNanos())
                            .endObject();
                }
            }
            w.endArray().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
