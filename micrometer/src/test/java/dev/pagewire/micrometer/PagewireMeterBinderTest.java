package dev.pagewire.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.SocketClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The meters a registry gets from a served Pagewire move with a call, a refusal, a push and a
 * resync over real HTTP, tagged by the Pagewire's name, and two Pagewires in one registry stay apart.
 */
class PagewireMeterBinderTest {
    @Test
    void aCallARefusalAPushAndAResyncMoveTheirMeters() {
        try (TestServer server = TestServer.start(Pagewire.builder().name("micrometer-test")
                .expose(new Ping()).maxQueuedUpdates(2))) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new PagewireMeterBinder(server.pagewire(), Tags.of("app", "test")).bindTo(registry);
            PageClient page = server.page("/meters/");

            page.call("Ping", "ping");
            FunctionTimer ok = registry.get("pagewire.calls")
                    .tags("pagewire", "micrometer-test", "app", "test", "proxy", "Ping", "method", "ping", "outcome", "ok")
                    .functionTimer();
            assertEquals(1, ok.count());
            assertTrue(ok.totalTime(TimeUnit.NANOSECONDS) > 0);
            assertEquals(0, registry.get("pagewire.calls").tags("outcome", "INTERNAL").functionTimer().count());
            assertEquals(1, registry.get("pagewire.batches").functionCounter().count());

            assertEquals(403, page.post("/call", "{\"calls\":[]}",
                    Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "wrong")).status());
            assertEquals(1, registry.get("pagewire.refusals").tag("code", "BAD_TOKEN").functionCounter().count());

            server.pagewire().pages().all().call("ui.show", 1);
            assertEquals(1, registry.get("pagewire.push.fanout").functionTimer().count());
            assertEquals(1, registry.get("pagewire.queued.updates").gauge().value());
            assertEquals(1, registry.get("pagewire.pages").tag("mode", "passive").gauge().value());

            server.pagewire().pages().all().call("ui.show", 2);
            server.pagewire().pages().all().call("ui.show", 3);
            assertEquals(1, registry.get("pagewire.overflows").functionCounter().count());
            assertEquals(1, registry.get("pagewire.resyncs").functionCounter().count());
            assertTrue(registry.get("pagewire.bytes.written").functionCounter().count() > 0);
        }
    }

    @Test
    void anOpenSocketMovesTheOpenSocketsGauge() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().name("micrometer-sockets").expose(new Ping()))) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new PagewireMeterBinder(server.pagewire()).bindTo(registry);
            PageClient page = server.page("/meters/");
            assertEquals(0, registry.get("pagewire.open.sockets").tag("pagewire", "micrometer-sockets").gauge().value());
            try (SocketClient socket = SocketClient.open(server.port(), page.cookieHeader(), null)) {
                socket.hello(page, 0);
                assertEquals("open", socket.next().get("type").getAsString());
                assertEquals(1, registry.get("pagewire.open.sockets").gauge().value());
                assertEquals(0, registry.get("pagewire.held.requests").gauge().value(), "a socket is no held request");
            }
            Wait.until("the gauge back to 0 once the socket is cut", 10,
                    () -> registry.get("pagewire.open.sockets").gauge().value() == 0);
        }
    }

    @Test
    void twoPagewiresInOneRegistryAreTaggedApart() {
        try (Pagewire a = Pagewire.builder().name("micrometer-a").expose(new Ping()).build();
             Pagewire b = Pagewire.builder().name("micrometer-b").expose(new Ping()).build()) {
            MeterRegistry registry = new SimpleMeterRegistry();
            new PagewireMeterBinder(a).bindTo(registry);
            new PagewireMeterBinder(b).bindTo(registry);
            assertEquals(2, registry.find("pagewire.resyncs").functionCounters().size());
            assertEquals(2, registry.find("pagewire.calls").tags("proxy", "Ping", "outcome", "ok").functionTimers().size());
        }
    }
}
