package dev.pagewire.samples.ticker;

import dev.pagewire.PageInterface;

/** What the server calls on ticker pages: {@code pagewire.expose("ticker", {price(...) {...}})}. */
@PageInterface("ticker")
public interface TickerUi {
    /** {@code symbol} now trades at {@code price}; {@code sentAt} is the server's clock at the push, in ms. */
    void price(String symbol, double price, long sentAt);
}
