package dev.pagewire.metrics;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A count, a total and a maximum of recorded amounts (nanoseconds for a timer, calls for a batch
 * size). Recording allocates nothing and takes no lock: {@link LongAdder}s spread contended
 * updates over cells, so many request threads record at once at the cost of a few adds.
 *
 * <p><b>Threading.</b> Any thread records; any thread reads. A read taken while others record
 * may see the count and the total of slightly different moments.
 */
public final class Tally {
    private final LongAdder count = new LongAdder();
    private final LongAdder total = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Records one {@code amount} (not negative). */
    public void record(long amount) {
        count.increment();
        total.add(amount);
        max.accumulate(amount);
    }

    /** How many amounts were recorded. */
    public long count() {
        return count.sum();
    }

    /** The sum of the recorded amounts. */
    public long total() {
        return total.sum();
    }

    /** The largest recorded amount, 0 before the first. */
    public long max() {
        return max.get();
    }
}
