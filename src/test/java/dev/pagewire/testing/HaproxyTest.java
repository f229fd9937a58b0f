package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code docs/cluster/haproxy.cfg}, run by Debian's HAProxy in front of real nodes
 * (the cases are in {@link ProxyClusterCases}). HAProxy must be installed ({@code .ci/run} installs
 * it): without it these tests fail, they do not skip.
 */
class HaproxyTest extends ProxyClusterCases {
    @Override
    ProxyProcess startProxy(int nodeA, int nodeB) {
        return Haproxy.start(nodeA, nodeB);
    }

    @Test
    void theShippedFileIsValid() {
        String said = Haproxy.check(Haproxy.SHIPPED_CONFIG);
        assertTrue(said.contains("Configuration file is valid"), said);
        assertTrue(said.lines().noneMatch(line -> line.contains("[WARNING]")), said);
    }

    @Test
    void heldRequestsGetLongTimeoutsAndEventsGoOutAtOnceAndOnlyFailedConnectsAreRetried() throws IOException {
        String config = Files.readString(Haproxy.SHIPPED_CONFIG, StandardCharsets.UTF_8);
        assertLongHeld(config, List.of("timeout client", "timeout server", "timeout tunnel"));
        assertEquals(List.of("roundrobin"), values(config, "balance"), "no stickiness");
        assertEquals(List.of(), values(config, "retry-on"), "the default, conn-failure: a call is never sent twice");
        List<String> options = values(config, "option");
        assertTrue(options.contains("redispatch"), "a failed connect is retried on the other node");
        assertTrue(options.contains("http-no-delay"), "measured: without it each SSE event waited about 200 ms");
    }
}
