package dev.pagewire.samples.ticker;

import dev.pagewire.Pagewire;
import dev.pagewire.samples.Sample;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ticker: a server thread moves a price five times a second and pushes it to every ticker frame,
 * each of which receives it in its own delivery mode.
 */
public final class TickerSample implements Sample {
    private final Ticker ticker = new Ticker();
    private ScheduledExecutorService scheduler;

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(ticker);
    }

    @Override
    public void start(Pagewire pagewire) {
        // A group means the pages open at each push, so one proxy serves for good.
        TickerUi frames = Sample.onThisNode(pagewire.pages().forPath("/ticker/frame.html")).proxy(TickerUi.class);
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ticker");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(() -> {
            Ticker.Quote quote = ticker.move();
            frames.price(quote.symbol(), quote.price(), System.currentTimeMillis());
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        scheduler.shutdownNow();
    }
}
