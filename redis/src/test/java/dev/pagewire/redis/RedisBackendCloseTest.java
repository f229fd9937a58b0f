package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.RedisServer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisBackend#close()} is called as the web application stops: when it returns, none of
 * the Redis client's threads may still run, or the container reports "started a thread ... but
 * has failed to stop it" and the thread keeps the application's class loader alive. The client's
 * own shutdown returned a moment before its last threads ended, in a few rounds of a hundred.
 */
class RedisBackendCloseTest {
    private static Set<Thread> lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lettuce-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void noneOfItsThreadsRunOnceCloseReturns() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            for (int round = 0; round < 100; round++) {
                Set<Thread> before = lettuceThreads();
                RedisBackend backend = RedisBackend.create(redis.uri());
                backend.close();
                List<String> left = lettuceThreads().stream().filter(t -> !before.contains(t))
                        .map(Thread::getName).sorted().toList();
                assertEquals(List.of(), left, "threads still running after close() returned (round " + round + ")");
            }
        }
    }
}
