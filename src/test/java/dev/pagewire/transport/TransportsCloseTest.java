package dev.pagewire.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link Transports#close()} is what a stopping web application calls: when it returns, none of
 * its threads may still run, or the container reports "started a thread ... but has failed to stop
 * it" and the thread keeps the application's class loader alive.
 */
class TransportsCloseTest {
    private static final long BUSY_MILLIS = 300;

    private static TransportSettings settings() {
        Duration s = Duration.ofSeconds(1);
        return new TransportSettings(s, s, s, s, 4, s, s, 1 << 20, Clock.systemUTC());
    }

    /** Work that does not stop at an interrupt, like a sweep writing heartbeats to sockets. */
    private static void busyIgnoringInterrupts(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            Thread.interrupted();
            LockSupport.parkNanos(left);
        }
    }

    @Test
    void closeReturnsOnlyOnceAThreadStillWorkingHasEnded() throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        AtomicReference<Thread> housekeeper = new AtomicReference<>();
        Transports transports = new Transports(settings(), () -> {
            if (housekeeper.compareAndSet(null, Thread.currentThread())) {
                working.countDown();
                busyIgnoringInterrupts(BUSY_MILLIS);
            }
        }, Duration.ofMillis(20), new LongAdder());
        assertTrue(working.await(10, TimeUnit.SECONDS), "the housekeeping sweep never ran");

        transports.close();

        assertFalse(housekeeper.get().isAlive(), "close() returned while its timer thread was still running");
    }

    @Test
    void closeCalledOnItsOwnThreadReturnsWithoutWaitingForItself() throws Exception {
        Transports transports = new Transports(settings(), () -> { }, Duration.ofSeconds(60), new LongAdder());
        ScheduledFuture<?> closing = transports.schedule(transports::close, 0);
        assertDoesNotThrow(() -> closing.get(2, TimeUnit.SECONDS),
                "close() on the timer thread waited for that thread to end");
    }
}
