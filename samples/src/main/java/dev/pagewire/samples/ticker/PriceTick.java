package dev.pagewire.samples.ticker;

/**
 * What the ticker publishes on {@code /ticker/prices/{SYMBOL}}: the symbol's new price, and the
 * server's clock when it was published (ms), so a page can show the delay.
 */
public record PriceTick(String symbol, double price, long sentAt) {
}
