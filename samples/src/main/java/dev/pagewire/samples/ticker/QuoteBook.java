package dev.pagewire.samples.ticker;

import java.util.Map;

/**
 * Where the prices live, and which node moves them: {@link MemoryQuoteBook} on one node, {@link
 * RedisQuoteBook} shared by the nodes of a cluster, of which one at a time leads. Thread-safe.
 */
interface QuoteBook {
    /** The prices moved so far, by symbol (a symbol never moved is missing). */
    Map<String, Double> prices();

    /** Stores {@code symbol}'s new price. */
    void put(String symbol, double price);

    /**
     * Takes or keeps the lead: whether this node moves the prices until the next call, a second
     * from now.
     */
    boolean lead();

    /** Gives the lead up, so that another node takes over at once. */
    default void resign() {
    }
}
