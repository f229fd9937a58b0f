package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code docs/cluster/nginx.conf}, run by Debian's nginx in front of real nodes (the
 * cases are in {@link ProxyClusterCases}). nginx must be installed ({@code .ci/run} installs it):
 * without it these tests fail, they do not skip.
 */
class NginxTest extends ProxyClusterCases {
    @Override
    ProxyProcess startProxy(int nodeA, int nodeB) {
        return Nginx.start(nodeA, nodeB);
    }

    @Test
    void theShippedFileIsValid() {
        String said = Nginx.check(Nginx.SHIPPED_CONFIG);
        assertTrue(said.contains("test is successful"), said);
    }

    @Test
    void heldRequestsGetLongTimeoutsAndPostsAreNeverSentTwice() throws IOException {
        String config = Files.readString(Nginx.SHIPPED_CONFIG, StandardCharsets.UTF_8);
        assertLongHeld(config, List.of("proxy_read_timeout", "proxy_send_timeout", "send_timeout"));
        assertEquals(List.of("off"), values(config, "proxy_buffering"), "SSE events are not held in a buffer");
        assertEquals(List.of("1.1"), values(config, "proxy_http_version"), "keep-alive to the nodes");
        assertTrue(config.lines().filter(line -> line.trim().startsWith("proxy_next_upstream "))
                .noneMatch(line -> line.contains("non_idempotent")), "a call that reached a node is not sent again");
    }
}
