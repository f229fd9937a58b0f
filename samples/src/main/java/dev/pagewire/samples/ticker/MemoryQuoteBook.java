package dev.pagewire.samples.ticker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The prices in this node's memory; this node always leads, as it is the only one. */
final class MemoryQuoteBook implements QuoteBook {
    private final Map<String, Double> prices = new ConcurrentHashMap<>();

    @Override
    public Map<String, Double> prices() {
        return Map.copyOf(prices);
    }

    @Override
    public void put(String symbol, double price) {
        prices.put(symbol, price);
    }

    @Override
    public boolean lead() {
        return true;
    }
}
