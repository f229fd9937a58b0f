package dev.pagewire.redis;

import io.lettuce.core.resource.ThreadFactoryProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Redis client's threads (Lettuce's as it names them, daemons), recorded so that closing the
 * backend can wait for them to end: Lettuce's shutdown returns once its event loops report
 * themselves terminated, a moment before their threads have ended, and a container that stops
 * the application then reports them as left running.
 */
final class ClientThreads implements ThreadFactoryProvider {
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    @Override
    public ThreadFactory getThreadFactory(String poolName) {
        ThreadFactory lettuce = new DefaultThreadFactory(poolName, true);
        return task -> {
            Thread t = lettuce.newThread(task);
            threads.removeIf(old -> old.getState() == Thread.State.TERMINATED);
            threads.add(t);
            return t;
        };
    }

    /** Waits until every recorded thread has ended or {@code millis} have passed; returns the names of those still running. */
    List<String> awaitEnd(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (t != Thread.currentThread() && left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting; what still runs is returned
        }
        return threads.stream().filter(t -> t != Thread.currentThread() && t.isAlive()).map(Thread::getName).toList();
    }
}
