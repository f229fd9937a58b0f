package dev.pagewire.samples.monitor;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.samples.Sample;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Monitor: every open page, pushed to monitor pages when a page opens or closes, and every
 * second so ages, queues and acknowledgements move.
 */
public final class MonitorSample implements Sample {
    private Pages pages;
    private MonitorUi monitors;
    private ScheduledExecutorService scheduler;

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(Monitor.class).deliveryRule("/monitor/", DeliveryMode.SSE);
    }

    @Override
    public void start(Pagewire pagewire) {
        pages = pagewire.pages();
        monitors = Sample.onThisNode(pages.forPath("/monitor/")).proxy(MonitorUi.class);
        // Pushing does not open pages, so a monitor that opens or closes is shown once, not in a loop.
        pages.addListener(new PageListener() {
            @Override
            public void created(Page page) {
                refresh();
            }

            @Override
            public void destroyed(Page page) {
                refresh();
            }
        });
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "monitor");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    /** Listeners run on request threads, the scheduler on its own: one at a time keeps lists in order. */
    private synchronized void refresh() {
        monitors.show(Monitor.rows(pages));
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }
}
