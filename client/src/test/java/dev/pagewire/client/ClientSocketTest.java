package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.RemoteCall;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The websocket mode's calls: over the open socket, and failing clearly when the socket is cut under them. */
class ClientSocketTest {
    private static final String PATH = "/feed/";

    /** Exposed: a call that runs until the test lets it finish. */
    public static final class Slow {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        /** Waits for the test, then answers {@code "done"}. */
        public String slow() throws InterruptedException {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return "done";
        }
    }

    @Test
    void callsGoOverTheOpenSocketWithTheirRepliesAndTheUpdatesBeforeThem() {
        List<String> transports = new CopyOnWriteArrayList<>();
        List<Integer> received = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
                .deliveryMode(dev.pagewire.DeliveryMode.WEBSOCKET).filter((call, chain) -> {
                    String upgrade = upgradeHeader(call);
                    transports.add(upgrade == null ? "POST" : upgrade);
                    return chain.proceed();
                }));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .expose("feed.add", args -> received.add(args.get(0, Integer.class))).build()) {
            ClientPushTest.awaitPage(server.pagewire(), DeliveryMode.WEBSOCKET);
            server.pagewire().pages().forPath(PATH).call("feed.add", 1);
            Wait.until("the push over the socket", 10, () -> received.size() == 1);

            ClientPushTest.Pinger pinger = client.proxy("Ping", ClientPushTest.Pinger.class);
            for (int i = 2; i <= 20; i++) {
                server.pagewire().pages().forPath(PATH).call("feed.add", i);
                assertEquals("pong", pinger.ping());
            }
            assertTrue(transports.size() == 19 && transports.stream().allMatch("websocket"::equalsIgnoreCase), transports.toString());
            Wait.until("20 pushes", 10, () -> received.size() == 20);
            assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), received);
        }
    }

    @Test
    void aCallInFlightWhenTheSocketIsCutFailsAsMayHaveRunAndTheClientGoesOn() throws Exception {
        Slow slow = new Slow();
        List<Integer> received = new CopyOnWriteArrayList<>();
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).expose(slow)
                .deliveryMode(dev.pagewire.DeliveryMode.WEBSOCKET));
             Balancer forwarder = Balancer.start(server.port());
             PagewireClient client = PagewireClient.builder(ClientFixture.base(forwarder.port())).path(PATH)
                     .reconnectDelays(ClientFixture.QUICK_RECONNECT).listener(recorder)
                     .expose("feed.add", args -> received.add(args.get(0, Integer.class))).build()) {
            ClientPushTest.awaitPage(server.pagewire(), DeliveryMode.WEBSOCKET);
            server.pagewire().pages().forPath(PATH).call("feed.add", 1);
            Wait.until("the socket open", 10, () -> received.size() == 1);

            CompletableFuture<com.google.gson.JsonElement> inFlight = client.call("Slow", "slow");
            assertTrue(slow.entered.await(10, TimeUnit.SECONDS), "the call runs on the server");
            forwarder.cutAll();
            server.pagewire().pages().forPath(PATH).call("feed.add", 2);

            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> inFlight.get(20, TimeUnit.SECONDS));
            PagewireCallException cause = assertInstanceOf(PagewireCallException.class, failure.getCause());
            assertEquals("NETWORK", cause.code());
            assertTrue(cause.getMessage().contains("may have run"), cause.getMessage());
            slow.release.countDown();

            assertEquals("pong", client.proxy("Ping", ClientPushTest.Pinger.class).ping());
            server.pagewire().pages().forPath(PATH).call("feed.add", 3);
            Wait.until("the pushes around the cut", 20, () -> received.size() >= 3);
            assertEquals(List.of(1, 2, 3), received);
            assertTrue(recorder.events.stream().noneMatch(e -> e.startsWith("resync")), recorder.events.toString());
        }
    }

    /**
     * The {@code Upgrade} header of the request a call came in: {@code websocket} for a call
     * over a socket, null for a {@code POST call}. By reflection, as the client module's tests
     * compile without the Servlet API.
     */
    private static String upgradeHeader(RemoteCall call) throws ReflectiveOperationException {
        Object request = RemoteCall.class.getMethod("request").invoke(call);
        Class<?> type = Class.forName("jakarta.servlet.http.HttpServletRequest");
        return (String) type.getMethod("getHeader", String.class).invoke(request, "Upgrade");
    }
}
