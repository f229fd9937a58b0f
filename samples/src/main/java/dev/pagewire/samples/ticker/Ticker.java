package dev.pagewire.samples.ticker;

import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Made-up prices for a few symbols. Pages call {@code Ticker.quotes()} for the current ones. */
@RemoteProxy
public class Ticker {
    private static final List<String> SYMBOLS = List.of("ACME", "GLOBEX", "HOOLI", "INITECH", "UMBRELLA");

    private final Map<String, Double> prices = new ConcurrentHashMap<>(Map.of(
            "ACME", 101.25, "GLOBEX", 48.10, "HOOLI", 230.00, "INITECH", 12.64, "UMBRELLA", 77.70));

    /** One symbol's price. */
    public record Quote(String symbol, double price) {
    }

    /** Every symbol's current price. */
    @RemoteMethod
    public List<Quote> quotes() {
        return SYMBOLS.stream().map(s -> new Quote(s, prices.get(s))).toList();
    }

    /** Moves one random symbol by a small random step and returns its new price. */
    Quote move() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
        double step = 1 + random.nextGaussian() * 0.002;
        double price = prices.compute(symbol, (s, p) -> Math.round(p * step * 100) / 100.0);
        return new Quote(symbol, price);
    }
}
