package dev.pagewire.samples;

import dev.pagewire.Pagewire;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The samples server as two nodes of a cluster on one real redis-server (what {@code
 * PAGEWIRE_REDIS} does) and one Chromium, started once per test class. Node A starts first and
 * leads the ticker before node B starts. Tests reach node A as {@code localhost} and node B as
 * {@code 127.0.0.1}: two hosts to the browser, so that each keeps its own cookies (cookies ignore
 * ports).
 */
abstract class ClusterFixture {
    /** The Redis key holding the id of the node that leads the ticker. */
    static final String TICKER_LEADER = "pagewire-samples:ticker:leader";

    @AutoClose
    static RedisServer redis;
    @AutoClose("stop")
    static SamplesServer nodeA;
    @AutoClose("stop")
    static SamplesServer nodeB;
    @AutoClose
    static Browser browser;

    @BeforeAll
    static void start() {
        startCluster(Duration.ofSeconds(Pagewire.Builder.DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS));
    }

    /**
     * Starts Redis, node A, node B once A leads the ticker, and the browser; the nodes end pages
     * {@code pageIdleTimeout} after they were last heard from. A test class that needs another
     * timeout hides {@link #start()} with a {@code @BeforeAll static void start()} calling this.
     */
    static void startCluster(Duration pageIdleTimeout) {
        redis = RedisServer.start();
        nodeA = SamplesServer.start(0, redis.uri(), pageIdleTimeout);
        Wait.until("node A to lead the ticker", 10, () -> redis.command("GET", TICKER_LEADER) != null);
        nodeB = SamplesServer.start(0, redis.uri(), pageIdleTimeout);
        browser = new Browser();
    }

    /** Node A's address, such as {@code http://localhost:41234}. */
    static String baseA() {
        return "http://localhost:" + nodeA.port();
    }

    /** Node B's address, such as {@code http://127.0.0.1:41235}. */
    static String baseB() {
        return "http://127.0.0.1:" + nodeB.port();
    }
}
