package dev.pagewire.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits on a condition with a deadline, never on a sleep: tests wait for what they need to see,
 * as long as it takes and no longer, and fail with what they were waiting for.
 *
 * <p>The condition runs on the test's thread every few milliseconds. An element a browser
 * condition looks for that is not there yet (or was replaced) counts as "not yet".
 */
public final class Wait {
    /** Between two looks at the condition: short next to any deadline, long next to a look. */
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Wait() {
    }

    /**
     * Returns once {@code condition} holds; fails after {@code seconds} with
     * "timed out after … ms waiting for {@code what}".
     */
    public static void until(String what, int seconds, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(seconds), condition);
    }

    /** Returns once {@code condition} holds; fails after {@code timeout}, naming {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            if (isBrowserElementNotYetThere(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Selenium's "no such element" or "stale element", by name: modules without Selenium use Wait too. */
    private static boolean isBrowserElementNotYetThere(RuntimeException e) {
        String name = e.getClass().getName();
        return name.equals("org.openqa.selenium.NoSuchElementException")
                || name.equals("org.openqa.selenium.StaleElementReferenceException");
    }
}
