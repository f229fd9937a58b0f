package dev.pagewire.samples.monitor;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.samples.Sample;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Monitor: every page this node holds, pushed to monitor pages when a page opens or closes, and
 * every second so ages, queues and acknowledgements move. With several nodes each pushes its own
 * list to the monitor pages it holds; a page held by two nodes (behind a balancer) shows both.
 *
 * <p><b>Threading.</b> One thread, "monitor", makes and pushes every list: each second, and when
 * a listener hears a page open or close.
 */
public final class MonitorSample implements Sample {
    private final Monitor monitor = new Monitor();
    private Pages pages;
    private MonitorUi monitors;
    private ScheduledExecutorService scheduler;

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(monitor).deliveryRule("/monitor/", DeliveryMode.SSE);
    }

    @Override
    public void start(Pagewire pagewire) {
        pages = pagewire.pages();
        monitors = Sample.onThisNode(pages.forPath("/monitor/")).proxy(MonitorUi.class);
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "monitor");
            thread.setDaemon(true);
            return thread;
        });
        // Pushing does not open pages, so a monitor that opens or closes is shown once, not in a loop.
        pages.addListener(new PageListener() {
            @Override
            public void created(Page page) {
                refreshSoon();
            }

            @Override
            public void destroyed(Page page) {
                refreshSoon();
            }
        });
        scheduler.scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    /** Listeners must not wait on a push (with Redis, a round trip): the monitor's thread pushes. */
    private void refreshSoon() {
        try {
            scheduler.execute(this::refresh);
        } catch (RejectedExecutionException stopping) {
            // this node is stopping: no more lists
        }
    }

    /** Runs on the monitor's one thread, so lists go out in order; a failed push waits for the next second. */
    private void refresh() {
        try {
            monitors.show(monitor.list(pages));
        } catch (RuntimeException e) {
            System.getLogger(MonitorSample.class.getName()).log(System.Logger.Level.WARNING,
                    "the monitor could not push its list: " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        scheduler.shutdown();
    }
}
