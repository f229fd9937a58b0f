package dev.pagewire;

import dev.pagewire.metrics.FiguresBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The figures of {@link PagewireMetrics} as MBeans on the platform MBeanServer, registered when
 * the Pagewire is built and unregistered when it closes:
 * <ul>
 * <li>{@code dev.pagewire:type=Pagewire,name=N}: pages, held requests, queues, pushes, bytes;</li>
 * <li>{@code dev.pagewire:type=Refusals,name=N}: one attribute per refusal code;</li>
 * <li>{@code dev.pagewire:type=Calls,name=N,proxy=P,method=M}: {@code Count.ok},
 * {@code TotalNanos.ok}, {@code MaxNanos.ok} and the same for each error outcome.</li>
 * </ul>
 * Without an explicit name, the first Pagewire of a JVM is {@code pagewire}, the next
 * {@code pagewire-2} and so on, so two never clash.
 *
 * <p><b>Threading.</b> Registration runs on the building thread, unregistration on the closing
 * one; JMX clients read the figures on their own threads.
 */
final class MetricsMBeans {
    /** The name a Pagewire gets without {@link Pagewire.Builder#name}, before any suffix. */
    static final String DEFAULT_NAME = "pagewire";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    /**
     * {@code name} if no Pagewire of this JVM has it in JMX, or else the first free of {@code
     * name-2}, {@code name-3}...
     */
    static String freeName(String name) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String chosen = name;
        for (int n = 2; server.isRegistered(objectName("Pagewire", chosen, "")); n++) {
            chosen = name + "-" + n;
        }
        return chosen;
    }

    /**
     * Registers the MBeans of {@code metrics} under its name.
     *
     * @throws IllegalStateException if a Pagewire of that name is registered already
     */
    static MetricsMBeans register(PagewireMetrics metrics) {
        MetricsMBeans beans = new MetricsMBeans();
        String name = metrics.name();
        try {
            beans.add(objectName("Pagewire", name, ""), "Pagewire " + name, figures(metrics));
            beans.add(objectName("Refusals", name, ""), "Refused requests by code", refusals(metrics));
            for (Map.Entry<String, Map<String, LongSupplier>> calls : calls(metrics).entrySet()) {
                beans.add(objectName("Calls", name, calls.getKey()), "Call timers", calls.getValue());
            }
        } catch (InstanceAlreadyExistsException e) {
            beans.unregister();
            throw new IllegalStateException("a Pagewire named '" + name + "' is registered in JMX already;"
                    + " give each Pagewire of a JVM its own Builder.name", e);
        }
        return beans;
    }

    private void add(ObjectName name, String description, Map<String, LongSupplier> figures)
            throws InstanceAlreadyExistsException {
        try {
            server.registerMBean(new FiguresBean(description, figures), name);
            registered.add(name);
        } catch (InstanceAlreadyExistsException e) {
            throw e;
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name + ": " + e.getMessage(), e);
        }
    }

    /** Unregisters every MBean this registered; calling it again does nothing. */
    void unregister() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // unregistered by someone else: nothing left to do
            } catch (JMException e) {
                throw new IllegalStateException("cannot unregister " + name, e);
            }
        }
        registered.clear();
    }

    static ObjectName objectName(String type, String name, String more) {
        try {
            return new ObjectName("dev.pagewire:type=" + type + ",name=" + quoteIfNeeded(name) + more);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not usable in a JMX name: " + name, e);
        }
    }

    private static String quoteIfNeeded(String value) {
        return value.matches("[A-Za-z0-9_.-]+") ? value : ObjectName.quote(value);
    }

    private static Map<String, LongSupplier> figures(PagewireMetrics m) {
        Map<String, LongSupplier> f = new LinkedHashMap<>();
        f.put("LivePages", m::livePages);
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode != DeliveryMode.AUTO) { // a choice: no page is in it
                f.put("LivePages." + mode.wireName(), () -> m.livePages(mode));
            }
        }
        f.put("HeldRequests", m::heldRequests);
        f.put("OpenSockets", m::openSockets);
        f.put("QueuedUpdates", m::queuedUpdates);
        f.put("AckLagMillis", m::ackLagMillis);
        f.put("Batches", m::batches);
        f.put("BatchCalls", m::batchCalls);
        f.put("MaxBatchSize", m::maxBatchSize);
        f.put("CallsNotFound", m::callsNotFound);
        f.put("Pushes", m::pushes);
        f.put("PushFanOutNanos", m::pushFanOutNanos);
        f.put("MaxPushFanOutNanos", m::maxPushFanOutNanos);
        f.put("UpdatesQueued", m::updatesQueued);
        f.put("Resends", m::resends);
        f.put("Resyncs", m::resyncs);
        f.put("Overflows", m::overflows);
        f.put("BytesWritten", m::bytesWritten);
        f.put("UnexposedCalls", m::unexposedCalls);
        return f;
    }

    private static Map<String, LongSupplier> refusals(PagewireMetrics m) {
        Map<String, LongSupplier> f = new LinkedHashMap<>();
        for (String code : PagewireMetrics.REFUSAL_CODES) {
            f.put(code, () -> m.refusals(code));
        }
        return f;
    }

    /** The call timers' figures by the rest of their MBean's name ({@code ,proxy=P,method=M}). */
    private static Map<String, Map<String, LongSupplier>> calls(PagewireMetrics m) {
        Map<String, Map<String, LongSupplier>> byMethod = new LinkedHashMap<>();
        for (PagewireMetrics.CallTimer t : m.calls()) {
            Map<String, LongSupplier> f = byMethod.computeIfAbsent(
                    ",proxy=" + quoteIfNeeded(t.proxy()) + ",method=" + quoteIfNeeded(t.method()),
                    k -> new LinkedHashMap<>());
            f.put("Count." + t.outcome(), t::count);
            f.put("TotalNanos." + t.outcome(), t::totalNanos);
            f.put("MaxNanos." + t.outcome(), t::maxNanos);
        }
        return byMethod;
    }
}
