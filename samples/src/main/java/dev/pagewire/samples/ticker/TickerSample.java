package dev.pagewire.samples.ticker;

import dev.pagewire.Pagewire;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.Topics;
import dev.pagewire.samples.Sample;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ticker: a server thread moves a price five times a second and publishes it on the topic
 * {@code /ticker/prices/{SYMBOL}} as the latest value of that symbol; every page with the engine
 * may subscribe ({@code pagewire.subscribe("/ticker/prices/*", fn)}), and each ticker frame
 * receives the prices in its own delivery mode. A frame that is behind (the passive one, until it
 * calls) gets only the newest price per symbol and counts the ones it skipped. With Redis one
 * node of the cluster leads: only it moves prices (one ticker, at one rate; the versions that
 * count skipped prices are the cluster's whichever node publishes), and its publish reaches the
 * frames on every node, conflated there too.
 *
 * <p><b>Threading.</b> One scheduler thread, "ticker", claims or renews the lead every second and
 * moves a price every 200 ms while it leads; {@code leading} is only touched on it. A failure
 * (Redis unreachable) drops the lead until the next claim.
 */
public final class TickerSample implements Sample {
    private static final System.Logger LOG = System.getLogger(TickerSample.class.getName());
    /** The prices' topics, one per symbol: {@code /ticker/prices/ACME}. */
    static final String PRICES = "/ticker/prices/";

    private final QuoteBook book;
    private final Ticker ticker;
    private ScheduledExecutorService scheduler;
    private boolean leading;

    /**
     * A ticker whose prices are kept in {@code redis} and moved by one node of those on it, or in
     * this node's memory when {@code redis} is {@code null}.
     */
    public TickerSample(RedisCommands<String, String> redis) {
        this.book = redis == null ? new MemoryQuoteBook() : new RedisQuoteBook(redis);
        this.ticker = new Ticker(book);
    }

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(ticker).topic(TopicRule.on(PRICES + "*").subscribe(TopicAccess.anyone(), PriceTick.class));
    }

    @Override
    public void start(Pagewire pagewire) {
        Topics topics = pagewire.topics();
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ticker");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::claim, 0, 1, TimeUnit.SECONDS);
        scheduler.scheduleAtFixedRate(() -> tick(topics), 200, 200, TimeUnit.MILLISECONDS);
    }

    private void claim() {
        try {
            leading = book.lead();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void tick(Topics topics) {
        if (!leading) {
            return;
        }
        try {
            Ticker.Quote quote = ticker.move();
            PriceTick tick = new PriceTick(quote.symbol(), quote.price(), System.currentTimeMillis());
            topics.<PriceTick>topic(PRICES + quote.symbol()).publishLatest(quote.symbol(), tick);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** A scheduled task must not throw (its runs would stop for good): drop the lead until the next claim. */
    private void fail(RuntimeException e) {
        leading = false;
        LOG.log(Level.WARNING, "the ticker pauses: " + e.getMessage());
    }

    @Override
    public void stop() {
        scheduler.shutdown(); // no interrupt: a push under way finishes, no further one starts
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            book.resign();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the ticker could not give up its lead, which expires by itself: " + e.getMessage());
        }
    }
}
