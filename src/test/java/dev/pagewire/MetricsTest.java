package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.push.RecentBatches;
import dev.pagewire.testing.LogCapture;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.SocketClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The figures an operator watches move with what a user does, over real HTTP: a call, a refusal,
 * a push (and its resend), a resync; the same figures as MBeans on the platform MBeanServer, gone
 * when the Pagewire closes; the unexposed-function report; the debug page's JSON.
 */
class MetricsTest {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    /** An exposed class with an int parameter, for a call refused for its arguments. */
    public static final class Adder {
        /** {@code a + b}. */
        public int add(int a, int b) {
            return a + b;
        }
    }

    private static Object attribute(String objectName, String attribute) throws Exception {
        return JMX.getAttribute(new ObjectName(objectName), attribute);
    }

    @Test
    void aCallMovesItsTimerTheBatchSizesAndTheBytesWritten() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-call")
                .expose(new Ping()).expose("Adder", new Adder()))) {
            PagewireMetrics metrics = server.pagewire().metrics();
            PageClient page = server.page("/calls/");
            assertEquals("pong", page.call("Ping", "ping").get("result").getAsString());
            page.batch().call("Adder", "add", 1, 2).callRaw("Adder", "add", "[\"x\", 2]").call("Ping", "nope").send();

            assertEquals(1, timer(metrics, "Ping", "ping", "ok").count());
            assertEquals(1, timer(metrics, "Adder", "add", "ok").count());
            assertEquals(1, timer(metrics, "Adder", "add", "BAD_ARGUMENTS").count());
            assertEquals(0, timer(metrics, "Adder", "add", "EXCEPTION").count());
            assertEquals(1, metrics.callsNotFound(), "Ping.nope: counted without its name as a tag");
            assertEquals(2, metrics.batches());
            assertEquals(4, metrics.batchCalls());
            assertEquals(3, metrics.maxBatchSize());
            assertTrue(metrics.bytesWritten() > 0, "the replies' bytes");

            String calls = "dev.pagewire:type=Calls,name=metrics-call,proxy=Ping,method=ping";
            assertEquals(1L, attribute(calls, "Count.ok"));
            assertEquals(timer(metrics, "Ping", "ping", "ok").totalNanos(), attribute(calls, "TotalNanos.ok"));
            assertEquals(2L, attribute("dev.pagewire:type=Pagewire,name=metrics-call", "Batches"));
            assertEquals(1L, attribute("dev.pagewire:type=Pagewire,name=metrics-call", "LivePages"));
            assertEquals(1L, attribute("dev.pagewire:type=Pagewire,name=metrics-call", "LivePages.passive"));
        }
    }

    private static PagewireMetrics.CallTimer timer(PagewireMetrics m, String proxy, String method, String outcome) {
        return m.calls().stream()
                .filter(t -> t.proxy().equals(proxy) && t.method().equals(method) && t.outcome().equals(outcome))
                .findFirst().orElseThrow(() -> new AssertionError("no timer " + proxy + "." + method + " " + outcome));
    }

    @Test
    void aRefusalIsCountedByItsCode() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-refusal").expose(new Ping()))) {
            PageClient page = server.page("/refused/");
            PageClient.Reply reply = page.post("/call", "{\"calls\":[]}",
                    Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "wrong"));
            assertEquals(403, reply.status());
            assertEquals(1, server.pagewire().metrics().refusals("BAD_TOKEN"));
            assertEquals(0, server.pagewire().metrics().refusals("MALFORMED"));
            assertEquals(1L, attribute("dev.pagewire:type=Refusals,name=metrics-refusal", "BAD_TOKEN"));

            // a repeat of a batch whose reply is no longer kept has a code of its own, not OTHER
            String ping = "{\"ack\":0,\"batch\":%d,\"calls\":[{\"id\":1,\"proxy\":\"Ping\",\"method\":\"ping\",\"args\":[]}]}";
            for (int n = 1; n <= RecentBatches.KEPT + 1; n++) {
                page.post("/call", String.format(ping, n), page.pageHeaders());
            }
            assertEquals(409, page.post("/call", String.format(ping, 1), page.pageHeaders()).status());
            assertEquals(1, server.pagewire().metrics().refusals("BATCH_REPEATED"));
            assertEquals(0, server.pagewire().metrics().refusals("OTHER"));
        }
    }

    @Test
    void aPushIsQueuedWaitsForItsAckAndCountsAResendWhenWrittenAgain() {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-push").expose(new Ping()))) {
            PagewireMetrics metrics = server.pagewire().metrics();
            PageClient page = server.page("/push/");
            server.pagewire().pages().all().call("ui.show", "hello");
            assertEquals(1, metrics.pushes());
            assertEquals(1, metrics.updatesQueued());
            assertEquals(1, metrics.queuedUpdates());
            Wait.until("the ack lag to grow", 10, () -> metrics.ackLagMillis() > 0);

            assertTrue(page.batch().ack(0).call("Ping", "ping").send().body().contains("ui.show"));
            assertEquals(0, metrics.resends(), "written once");
            assertTrue(page.batch().ack(0).call("Ping", "ping").send().body().contains("ui.show"));
            assertEquals(1, metrics.resends(), "the page did not acknowledge it: written again");

            page.batch().ack(1).call("Ping", "ping").send();
            assertEquals(0, metrics.queuedUpdates());
            assertEquals(0, metrics.ackLagMillis(), "nothing waits for an ack");
        }
    }

    @Test
    void aQueueThatOverflowsCountsAnOverflowAndAResync() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-resync")
                .expose(new Ping()).maxQueuedUpdates(3))) {
            PagewireMetrics metrics = server.pagewire().metrics();
            PageClient page = server.page("/flood/");
            for (int i = 0; i < 4; i++) {
                server.pagewire().pages().all().call("ui.show", i);
            }
            assertEquals(1, metrics.overflows());
            assertEquals(1, metrics.resyncs());
            assertEquals(4, metrics.pushes());
            assertTrue(page.batch().ack(0).call("Ping", "ping").send().body().contains("\"resync\":true"));
            assertEquals(1L, attribute("dev.pagewire:type=Pagewire,name=metrics-resync", "Resyncs"));
        }
    }

    @Test
    void twoPagewiresGetTheirOwnNamesAndCloseUnregistersThem() throws Exception {
        Pagewire first = Pagewire.builder().expose(new Ping()).build();
        Pagewire second = Pagewire.builder().expose(new Ping()).build();
        try {
            assertNotEquals(first.metrics().name(), second.metrics().name());
            for (Pagewire p : new Pagewire[] {first, second}) {
                assertTrue(JMX.isRegistered(new ObjectName("dev.pagewire:type=Pagewire,name=" + p.metrics().name())));
                assertTrue(p.metrics().name().startsWith("pagewire"), p.metrics().name());
            }
            assertThrows(IllegalStateException.class,
                    () -> Pagewire.builder().name(first.metrics().name()).expose(new Ping()).build(),
                    "a name another Pagewire has");
        } finally {
            first.close();
            second.close();
        }
        for (Pagewire p : new Pagewire[] {first, second}) {
            String name = p.metrics().name();
            assertTrue(JMX.queryNames(new ObjectName("dev.pagewire:name=" + name + ",*"), null).isEmpty(),
                    "unregistered on close: " + name);
        }
        Pagewire quiet = Pagewire.builder().name("metrics-no-jmx").jmx(false).expose(new Ping()).build();
        try {
            assertFalse(JMX.isRegistered(new ObjectName("dev.pagewire:type=Pagewire,name=metrics-no-jmx")));
        } finally {
            quiet.close();
        }
    }

    @Test
    void anUnexposedFunctionReportIsCountedAndLoggedOncePerName() {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-unexposed").expose(new Ping()));
             LogCapture logs = LogCapture.start("dev.pagewire.push")) {
            PageClient page = server.page("/unexposed/");
            for (String name : new String[] {"ui.missing", "ui.missing", "other.gone"}) {
                assertEquals(204, page.post("/unexposed", "{\"function\":\"" + name + "\"}", page.pageHeaders()).status());
            }
            assertEquals(400, page.post("/unexposed", "{\"function\":\"\"}", page.pageHeaders()).status());
            assertEquals(403, page.post("/unexposed", "{\"function\":\"x\"}",
                    Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "wrong")).status());
            assertEquals(3, server.pagewire().metrics().unexposedCalls());
            long logged = logs.messages("dev.pagewire.push").stream().filter(m -> m.contains("not exposed")).count();
            assertEquals(2, logged, "once per name: " + logs.messages("dev.pagewire.push"));
        }
    }

    @Test
    void openSocketsCountThePagesWebSocketsWhichHeldRequestsLeaveOut() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().name("metrics-sockets").debug(true).expose(new Ping()))) {
            PagewireMetrics metrics = server.pagewire().metrics();
            PageClient a = server.page("/sockets/");
            PageClient b = server.page("/sockets/");
            try (SocketClient first = SocketClient.open(server.port(), a.cookieHeader(), null)) {
                first.hello(a, 0);
                assertEquals("open", first.next().get("type").getAsString());
                try (SocketClient second = SocketClient.open(server.port(), b.cookieHeader(), null)) {
                    Wait.until("two sockets counted (one before its hello)", 10, () -> metrics.openSockets() == 2);
                    assertEquals(0, metrics.heldRequests(), "a socket is no held request");
                    JsonObject json = JsonParser.parseString(a.get("/metrics.json", Map.of()).body()).getAsJsonObject();
                    assertEquals(2, json.get("openSockets").getAsInt(), "on the debug page");
                    assertEquals(2L, attribute("dev.pagewire:type=Pagewire,name=metrics-sockets", "OpenSockets"));
                }
                Wait.until("the cut socket no longer counted", 10, () -> metrics.openSockets() == 1);
            }
            Wait.until("no socket counted", 10, () -> metrics.openSockets() == 0);
        }
    }

    @Test
    void theDebugPageReadsTheFiguresAsJsonOnlyWhileDebugIsOn() {
        try (TestServer on = TestServer.start(Pagewire.builder().name("metrics-debug").debug(true).expose(new Ping()));
             TestServer off = TestServer.start(Pagewire.builder().name("metrics-nodebug").expose(new Ping()))) {
            PageClient page = on.page("/debug/");
            page.call("Ping", "ping");
            PageClient.Reply reply = page.get("/metrics.json", Map.of());
            assertEquals(200, reply.status());
            JsonObject json = JsonParser.parseString(reply.body()).getAsJsonObject();
            assertEquals("metrics-debug", json.get("name").getAsString());
            assertEquals(1, json.get("livePages").getAsInt());
            JsonObject call = json.getAsJsonArray("calls").get(0).getAsJsonObject();
            assertEquals("Ping.ping ok 1", call.get("proxy").getAsString() + "." + call.get("method").getAsString()
                    + " " + call.get("outcome").getAsString() + " " + call.get("count").getAsLong());
            assertTrue(page.get("/", Map.of()).body().contains("metrics.json"), "the debug page polls it");
            assertEquals(404, new PageClient(off.port()).get("/metrics.json", Map.of()).status());
        }
    }
}
