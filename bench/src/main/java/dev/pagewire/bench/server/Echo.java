package dev.pagewire.bench.server;

/** Exposed as proxy {@code Echo} by both targets. */
public class Echo {
    public String echo(String text) {
        return text;
    }
}
