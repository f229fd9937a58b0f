package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Page;
import dev.pagewire.Pagewire;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pushes reach exposed handlers in every delivery mode: in order, once, acknowledged. */
class ClientPushTest {
    private static final String PATH = "/feed/";
    private static final int PUSHES = 300;

    /** What a client's handlers saw: the values, the threads, how many ran at once. */
    static final class Feed {
        final List<Integer> received = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        private final AtomicInteger running = new AtomicInteger();
        volatile int mostAtOnce;

        void add(Arguments args) {
            int now = running.incrementAndGet();
            mostAtOnce = Math.max(mostAtOnce, now);
            threads.add(Thread.currentThread().getName());
            received.add(args.get(0, Integer.class));
            running.decrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"POLLING", "COMET", "SSE", "WEBSOCKET"})
    void pushesInTheServersModeArriveInOrderOnceAndAreAcknowledgedWhileCallsCarryThemToo(DeliveryMode mode) {
        Feed feed = new Feed();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
                .deliveryMode(ClientFixture.onServer(mode)).pollInterval(Duration.ofMillis(50)).sseAckDelay(Duration.ofMillis(50)));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .expose("feed.add", feed::add).build()) {
            Page page = awaitPage(server.pagewire(), mode);

            Pinger pinger = client.proxy("Ping", Pinger.class);
            for (int i = 1; i <= PUSHES; i++) {
                server.pagewire().pages().forPath(PATH).call("feed.add", i);
                if (i % 10 == 0) {
                    pinger.ping(); // its reply carries the updates not acknowledged yet: some come twice
                }
            }

            Wait.until(PUSHES + " pushes", 30, () -> feed.received.size() >= PUSHES);
            assertEquals(IntStream.rangeClosed(1, PUSHES).boxed().toList(), feed.received);
            assertEquals(1, feed.threads.size(), "one update thread: " + feed.threads);
            assertTrue(feed.threads.iterator().next().endsWith("-updates"), feed.threads.toString());
            assertEquals(1, feed.mostAtOnce, "handlers run one at a time");
            Wait.until("the server to hear every ack", 30, () -> page.lastAcknowledged() == PUSHES);
            assertEquals(client.pageId(), page.id());
        }
    }

    @Test
    void aPassivePageGetsItsUpdatesOnCallRepliesBeforeTheCallReturns() {
        Feed feed = new Feed();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .expose("feed.add", feed::add).build()) {
            Pinger pinger = client.proxy("Ping", Pinger.class);
            pinger.ping(); // makes the page
            Page page = ClientFixture.onlyPage(server.pagewire(), PATH);

            server.pagewire().pages().forPath(PATH).call("feed.add", 1);
            server.pagewire().pages().forPath(PATH).call("feed.add", 2);
            assertEquals("pong", pinger.ping());

            Wait.until("the updates of the reply", 10, () -> feed.received.size() == 2);
            assertEquals(List.of(1, 2), feed.received);
            pinger.ping();
            assertEquals(2, page.lastAcknowledged(), "the next call acknowledges them");
        }
    }

    @Test
    void theClientsModeIsUsedWhereTheServerAllowsIt() {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .deliveryMode(DeliveryMode.SSE).build()) {
            awaitPage(server.pagewire(), DeliveryMode.SSE);
        }
    }

    @Test
    void aModeTheServerRefusesIsReportedAndTheAdvisedOneUsed() {
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping())
                .deliveryMode(dev.pagewire.DeliveryMode.COMET)
                .allowDeliveryModes(dev.pagewire.DeliveryMode.PASSIVE, dev.pagewire.DeliveryMode.POLLING, dev.pagewire.DeliveryMode.COMET));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .deliveryMode(DeliveryMode.SSE).listener(recorder).build()) {
            awaitPage(server.pagewire(), DeliveryMode.COMET);
            Wait.until("the refusal reported", 10, () -> recorder.saw("problem MODE_NOT_ALLOWED"));
            Wait.until("connected in comet", 10, () -> recorder.saw("connected COMET"));
        }
    }

    @Test
    void aPushNobodyExposedOrAHandlerThatThrowsIsReportedAndDeliveryGoesOn() {
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        Feed feed = new Feed();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).deliveryMode(dev.pagewire.DeliveryMode.COMET));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .expose("feed.add", feed::add)
                     .expose("feed.fail", args -> {
                         throw new IllegalStateException("broken handler");
                     })
                     .listener(recorder).build()) {
            awaitPage(server.pagewire(), DeliveryMode.COMET);

            server.pagewire().pages().forPath(PATH).call("feed.unknown", 0);
            server.pagewire().pages().forPath(PATH).call("feed.fail", 0);
            server.pagewire().pages().forPath(PATH).call("feed.add", 3);

            Wait.until("the update after them", 10, () -> feed.received.equals(List.of(3)));
            assertEquals(List.of("problem UNKNOWN_FUNCTION", "problem UPDATE_FAILED"),
                    recorder.events.stream().filter(e -> e.startsWith("problem")).toList());
        }
    }

    @Test
    void anOverflowedQueueIsAResyncWithReasonOverflow() {
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).maxQueuedUpdates(5));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                     .expose("feed.add", args -> { }).listener(recorder).build()) {
            Pinger pinger = client.proxy("Ping", Pinger.class);
            pinger.ping();

            IntStream.rangeClosed(1, 20).forEach(i -> server.pagewire().pages().forPath(PATH).call("feed.add", i));
            pinger.ping();

            Wait.until("the resync", 10, () -> recorder.saw("resync overflow"));
        }
    }

    @Test
    void aHandlerMayMakeABlockingCall() {
        List<String> answers = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).deliveryMode(dev.pagewire.DeliveryMode.SSE));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH).build()) {
            Pinger pinger = client.proxy("Ping", Pinger.class);
            client.expose("feed.ask", args -> answers.add(pinger.ping()));
            awaitPage(server.pagewire(), DeliveryMode.SSE);

            server.pagewire().pages().forPath(PATH).call("feed.ask");
            server.pagewire().pages().forPath(PATH).call("feed.ask");

            Wait.until("both handlers' calls answered", 10, () -> answers.size() == 2);
        }
    }

    @Test
    void closingTheClientEndsItsPageOnTheServer() {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()).deliveryMode(dev.pagewire.DeliveryMode.COMET))) {
            PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).path(PATH).build();
            Page page = awaitPage(server.pagewire(), DeliveryMode.COMET);

            client.close();

            Wait.until("the page ended", 10, () -> !page.isValid());
            assertEquals(List.of(), server.pagewire().pages().forPath(PATH).pages());
            Pinger pinger = client.proxy("Ping", Pinger.class);
            assertEquals("CLOSED", assertThrows(PagewireCallException.class, pinger::ping).code());
        }
    }

    /** The client's view of the server's {@link Ping}. */
    interface Pinger {
        String ping();
    }

    /** Waits for the client's page to be on the server and delivered in {@code mode}. */
    static Page awaitPage(Pagewire pagewire, DeliveryMode mode) {
        Wait.until("a page in " + mode, 15, () -> {
            Page page = ClientFixture.onlyPage(pagewire, PATH);
            return page != null && page.deliveryMode() == ClientFixture.onServer(mode)
                    && (mode == DeliveryMode.POLLING || mode == DeliveryMode.WEBSOCKET || pagewire.heldRequests() == 1);
        });
        return ClientFixture.onlyPage(pagewire, PATH);
    }
}
