package dev.pagewire.testing;

import java.lang.management.ManagementFactory;

/** Measures the heap for leak tests and soak runs. */
public final class Heap {
    private Heap() {
    }

    /**
     * The heap in use after garbage collection: the least of {@code rounds} measurements, each
     * after a {@code System.gc()}, so garbage the collector left once does not count.
     */
    public static long usedAfterGc(int rounds) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
