package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Heap;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 10,000 pages come and go (unload, idle timeout, or a held poll whose connection is cut and
 * then times out): sessions, queues and held requests return to zero, and the heap to where it
 * started.
 */
class LeakTest {
    private static void pagesComeAndGo(Pagewire pagewire, int port, int browsers, int pagesEach) throws Exception {
        List<PageClient> clients = new ArrayList<>();
        for (int b = 0; b < browsers; b++) {
            clients.add(new PageClient(port));
        }
        for (int p = 0; p < pagesEach; p++) {
            for (PageClient client : clients) {
                client.handshake("/come-and-go/" + (p % 7) + "/");
                pagewire.pages().byId(client.pageId()).call("ui.show", p);
                switch (p % 3) {
                    case 0 -> client.post("/unload", "{\"page\":\"" + client.pageId() + "\",\"token\":\""
                            + client.token() + "\"}", Map.of("Content-Type", "text/plain"));
                    case 1 -> {
                        // A held poll whose connection is cut: the session must still end.
                        try (RawHttp poll = RawHttp.send(port, "POST", "/pagewire/poll",
                                Map.of("Cookie", client.cookieHeader(), "Pagewire-Page", client.pageId(),
                                        "Pagewire-Token", client.token(), "Content-Type", "application/json"),
                                "{\"ack\":0,\"hold\":true}")) {
                            poll.readHead(); // an update is queued, so it is answered at once
                        }
                    }
                    default -> {
                        // left to time out
                    }
                }
            }
        }
        Wait.until("every session to end", 30, () -> pagewire.pageRegistry.size() == 0);
        Wait.until("every held request to end", 30, () -> pagewire.transports.heldRequests() == 0);
    }

    @Test
    void tenThousandPagesLeaveNothingBehind() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
                .pageIdleTimeout(Duration.ofMillis(200)).cometHold(Duration.ofMillis(300))
                .handshakesPerMinute(1_000_000))) { // ten thousand pages from one address
            Pagewire pagewire = server.pagewire();
            pagesComeAndGo(pagewire, server.port(), 20, 25); // warm up: classes, pools, buffers
            long before = Heap.usedAfterGc(5);
            pagesComeAndGo(pagewire, server.port(), 100, 100);
            long after = Heap.usedAfterGc(5);
            assertEquals(0, pagewire.pageRegistry.size());
            assertEquals(0, pagewire.transports.heldRequests());
            // 10,000 pages left no per-page state; a few MB is the noise of the container itself.
            assertTrue(after - before < 8 * 1024 * 1024,
                    "heap grew by " + (after - before) / 1024 + " KB after 10,000 pages");
        }
    }
}
