package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An SSE client that stops reading must not slow delivery to other pages, nor hold memory
 * beyond its own bounded queue: its queue overflows (the page will resync) and its stream is cut.
 */
class StalledReaderTest {
    @Test
    void aStalledStreamIsCutAndOthersGetEverything() throws Exception {
        int pushes = 3000;
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
                .maxQueuedChars(4 * 1024 * 1024).maxQueuedUpdates(pushes + 10))) {
            Pagewire pagewire = server.pagewire();
            PageClient stalled = server.page("/wall/");
            String path = "/pagewire/stream?page=" + stalled.pageId() + "&token=" + stalled.token();
            try (RawHttp stream = RawHttp.send(server.port(), "GET", path,
                    Map.of("Cookie", stalled.cookieHeader()), null).readHead()) {
                assertEquals(200, stream.status());
                LivePage stalledSession = pagewire.pageRegistry.find(stalled.pageId());
                Wait.until("the stream", 10, () -> stalledSession.queue().waiter() != null);

                PageClient reader = server.page("/wall/");
                String big = "x".repeat(4000);
                Thread pusher = new Thread(() -> {
                    for (int i = 0; i < pushes; i++) {
                        pagewire.pages().forPath("/wall/").call("wall.post", i, big);
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000); // pacing, not synchronisation
                    }
                });
                pusher.start();
                // The other page polls (Comet) and acknowledges as it goes: it must get all of them.
                long applied = 0;
                int received = 0;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (received < pushes && System.nanoTime() < deadline) {
                    PageClient.Reply r = reader.post("/poll", "{\"ack\":" + applied + ",\"hold\":true}",
                            reader.pageHeaders());
                    for (JsonElement e : r.json().getAsJsonArray("updates")) {
                        long seq = e.getAsJsonObject().get("seq").getAsLong();
                        if (seq > applied) {
                            assertEquals(received, e.getAsJsonObject().getAsJsonArray("args").get(0).getAsInt());
                            applied = seq;
                            received++;
                        }
                    }
                }
                pusher.join(30_000);
                assertEquals(pushes, received, "the reading page got every push");

                // The stalled stream was cut, and what it holds stayed within its queue's bound.
                Wait.until("the stalled stream to be cut", 20, () -> stalledSession.queue().waiter() == null);
                assertTrue(stalledSession.queue().depth() <= 4 * 1024 * 1024 / 4000 + 1,
                        "queue depth " + stalledSession.queue().depth());
                assertTrue(stalledSession.queue().after(0).stream().anyMatch(e -> e.fragment().contains("resync")),
                        "the page will be told to resync");
            }
        }
    }
}
