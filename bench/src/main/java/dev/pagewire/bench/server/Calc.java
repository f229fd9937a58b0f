package dev.pagewire.bench.server;

/** Exposed as proxy {@code Calc} by both targets. */
public class Calc {
    public int add(int a, int b) {
        return a + b;
    }
}
