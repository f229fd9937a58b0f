package dev.pagewire.samples.ticker;

import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Made-up prices for a few symbols, kept in a {@link QuoteBook} (in memory, or in Redis for a
 * cluster). Pages call {@code Ticker.quotes()} for the current ones.
 */
@RemoteProxy
public class Ticker {
    private static final List<String> SYMBOLS = List.of("ACME", "GLOBEX", "HOOLI", "INITECH", "UMBRELLA");
    private static final Map<String, Double> OPENING = Map.of(
            "ACME", 101.25, "GLOBEX", 48.10, "HOOLI", 230.00, "INITECH", 12.64, "UMBRELLA", 77.70);

    private final QuoteBook book;

    Ticker(QuoteBook book) {
        this.book = book;
    }

    /** One symbol's price. */
    public record Quote(String symbol, double price) {
    }

    /** Every symbol's current price. */
    @RemoteMethod
    public List<Quote> quotes() {
        Map<String, Double> prices = book.prices();
        return SYMBOLS.stream().map(s -> new Quote(s, prices.getOrDefault(s, OPENING.get(s)))).toList();
    }

    /** Moves one random symbol by a small random step and returns its new price. */
    Quote move() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
        double step = 1 + random.nextGaussian() * 0.002;
        double price = Math.round(book.prices().getOrDefault(symbol, OPENING.get(symbol)) * step * 100) / 100.0;
        book.put(symbol, price);
        return new Quote(symbol, price);
    }
}
