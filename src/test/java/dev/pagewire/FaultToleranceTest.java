package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.EnginePage;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 pushes per delivery mode while the page's connections are cut for real (RST) at random
 * points: before the reply, after its head, in the middle of its body or of an event. The page
 * must end with every update applied once and in order. The queue bound is raised here so the
 * test is about cuts, not about a page that falls 1000 updates behind (that is a resync, tested
 * elsewhere).
 */
class FaultToleranceTest {
    private static final int PUSHES = 10_000;

    private static Pagewire pagewire;
    private static PagewireServer server;

    @BeforeAll
    static void start() {
        pagewire = Pagewire.builder().expose(new Ping()).maxQueuedUpdates(PUSHES + 10)
                .cometHold(Duration.ofSeconds(2)).cometWriteWindow(Duration.ofMillis(5)).build();
        server = PagewireServer.create(pagewire).start(0);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE) // a choice, no wire mode
    void tenThousandPushesArriveOnceAndInOrderWhileConnectionsAreCut(DeliveryMode mode) throws Exception {
        EnginePage page = new EnginePage(server.port(), "/faults/" + mode.wireName() + "/");
        PageGroup group = pagewire.pages().byId(page.client().pageId());
        Thread pusher = new Thread(() -> {
            for (int i = 0; i < PUSHES; i++) {
                group.call("ui.show", i);
                LockSupport.parkNanos(150_000); // pacing of the load, so pushes interleave with cuts
            }
        }, "test-pusher");
        pusher.start();
        Random random = new Random(mode.ordinal() * 31L + 5);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int cuts = 0;
        while (page.applied().size() < PUSHES && System.nanoTime() < deadline) {
            cuts += mode == DeliveryMode.SSE ? streamOnce(page, random) : requestOnce(page, mode, random);
        }
        pusher.join(10_000);
        assertEquals(PUSHES, page.applied().size(), "all pushes applied");
        assertEquals(IntStream.range(0, PUSHES).boxed().toList(), page.applied(), "in order, once");
        assertTrue(cuts > 20, mode + ": connections were cut " + cuts + " times");
    }

    /** One call (passive), poll (polling) or held poll (comet); returns 1 if it was cut. */
    private static int requestOnce(EnginePage page, DeliveryMode mode, Random random) throws IOException {
        String path = mode == DeliveryMode.PASSIVE ? "/pagewire/call" : "/pagewire/poll";
        String body = mode == DeliveryMode.PASSIVE
                ? page.client().batch().ack(page.lastApplied()).call("Ping", "ping").body()
                : "{\"ack\":" + page.lastApplied() + (mode == DeliveryMode.COMET ? ",\"hold\":true}" : "}");
        try (RawHttp http = RawHttp.send(server.port(), "POST", path, page.rawHeaders(), body)) {
            int fate = random.nextInt(5);
            if (fate == 0) {
                return 1; // cut before the reply
            }
            http.readHead();
            assertEquals(200, http.status());
            if (fate == 1) {
                return 1; // cut after the head
            }
            if (fate == 2) {
                http.skipBodyBytes(random.nextInt(64)); // a little of the body, then cut in the middle of it
                return 1;
            }
            JsonObject reply = JsonParser.parseString(http.readBody()).getAsJsonObject();
            if (reply.has("updates")) {
                page.apply(reply.getAsJsonArray("updates"));
            }
            return 0;
        }
    }

    /** One stream: reads some events, acknowledges sometimes, and is cut, maybe mid-event. */
    private static int streamOnce(EnginePage page, Random random) throws IOException {
        Map<String, String> headers = new HashMap<>(page.rawHeaders());
        headers.put("Last-Event-ID", Long.toString(page.lastApplied()));
        try (RawHttp stream = RawHttp.send(server.port(), "GET", page.streamPath(), headers, null).readHead()) {
            assertEquals(200, stream.status());
            int events = 1 + random.nextInt(400);
            while (events > 0 && page.applied().size() < PUSHES) {
                String line = stream.readBodyLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("data: {\"seq\"")) {
                    page.apply(JsonParser.parseString(line.substring(6)).getAsJsonObject());
                    events--;
                }
            }
            if (random.nextBoolean()) {
                stream.readBodyLine(); // and cut in the middle of the next event
            }
        }
        if (random.nextInt(2) == 0) {
            page.client().post("/ack", "{\"ack\":" + page.lastApplied() + "}", page.client().pageHeaders());
        }
        return 1;
    }
}
