package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Faults against real parts: a connection cut mid-poll through a TCP forwarder, a server restarted on its port. */
class ClientReconnectTest {
    private static final String PATH = "/feed/";

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"COMET", "SSE", "WEBSOCKET"})
    void aConnectionCutWhileHeldLosesNoUpdateAndDeliversNoneTwice(DeliveryMode mode) {
        List<Integer> received = new CopyOnWriteArrayList<>();
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).deliveryMode(ClientFixture.onServer(mode)));
             Balancer forwarder = Balancer.start(server.port());
             PagewireClient client = PagewireClient.builder(ClientFixture.base(forwarder.port())).path(PATH)
                     .reconnectDelays(ClientFixture.QUICK_RECONNECT).listener(recorder)
                     .expose("feed.add", args -> received.add(args.get(0, Integer.class))).build()) {
            ClientPushTest.awaitPage(server.pagewire(), mode);
            server.pagewire().pages().forPath(PATH).call("feed.add", 1);
            Wait.until("the first update", 10, () -> received.size() == 1);
            if (mode != DeliveryMode.WEBSOCKET) { // the update came over the open socket
                Wait.until("a held request again", 10, () -> server.pagewire().heldRequests() == 1);
            }

            forwarder.cutAll();
            server.pagewire().pages().forPath(PATH).call("feed.add", 2);
            server.pagewire().pages().forPath(PATH).call("feed.add", 3);

            Wait.until("the updates pushed around the cut", 20, () -> received.size() >= 3);
            Wait.until("the loss reported", 10, () -> recorder.saw("disconnected NETWORK"));
            server.pagewire().pages().forPath(PATH).call("feed.add", 4);
            Wait.until("an update after the reconnect", 20, () -> received.size() >= 4);
            assertEquals(List.of(1, 2, 3, 4), received);
            assertEquals(List.of(), recorder.events.stream().filter(e -> e.startsWith("resync")).toList(), "the page was kept");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"POLLING", "COMET", "SSE", "WEBSOCKET"})
    void afterAServerRestartOnTheSamePortTheClientMakesANewPageAndKeepsReceiving(DeliveryMode mode) {
        List<String> received = new CopyOnWriteArrayList<>();
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        Pagewire first = server(mode);
        PagewireServer running = PagewireServer.create(first).start(0);
        int port = running.port();
        try (PagewireClient client = PagewireClient.builder(ClientFixture.base(port)).path(PATH)
                .reconnectDelays(ClientFixture.QUICK_RECONNECT).listener(recorder)
                .expose("feed.add", args -> received.add(args.get(0, String.class))).build()) {
            ClientPushTest.awaitPage(first, mode);
            String firstPage = client.pageId();
            first.pages().forPath(PATH).call("feed.add", "before");
            Wait.until("the push before the restart", 10, () -> received.size() == 1);

            running.stop();
            Pagewire second = server(mode);
            running = PagewireServer.create(second).start(port);

            ClientPushTest.awaitPage(second, mode);
            Wait.until("the resync", 10, () -> recorder.saw("resync lost"));
            assertNotEquals(firstPage, client.pageId());
            second.pages().forPath(PATH).call("feed.add", "after");
            Wait.until("the push after the restart", 10, () -> received.size() == 2);
            assertEquals(List.of("before", "after"), received);
            assertEquals("pong", client.proxy("Ping", ClientPushTest.Pinger.class).ping());
        } finally {
            running.stop();
        }
    }

    private static Pagewire server(DeliveryMode mode) {
        return Pagewire.builder().expose(new Ping()).deliveryMode(ClientFixture.onServer(mode))
                .pollInterval(Duration.ofMillis(50)).build();
    }
}
