package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.Topic;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Topics through the client: subscribe with wildcards, publish, unsubscribe, refusals, conflation, a renewed page. */
class ClientTopicTest {
    private static final String PATH = "/chat/";

    private static Pagewire.Builder server(DeliveryMode mode) {
        return Pagewire.builder().deliveryMode(ClientFixture.onServer(mode)).pollInterval(Duration.ofMillis(50))
                .topic(TopicRule.on("/chat/**").subscribe(TopicAccess.anyone()).publish(TopicAccess.anyone(), String.class))
                .topic(TopicRule.on("/prices/*").subscribe(TopicAccess.anyone()));
    }

    private static PagewireClient client(TestServer server, ClientListener listener) {
        return PagewireClient.builder(ClientFixture.base(server.port())).path(PATH)
                .reconnectDelays(ClientFixture.QUICK_RECONNECT).listener(listener).build();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"POLLING", "SSE", "WEBSOCKET"})
    void aWildcardSubscriptionReceivesPublishesInOrderUntilItUnsubscribes(DeliveryMode mode) {
        List<String> lobby = new CopyOnWriteArrayList<>();
        List<String> news = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(server(mode));
             PagewireClient client = client(server, new ClientListener() { })) {
            Subscription rooms = client.subscribe("/chat/*", String.class, (text, info) -> lobby.add(info.topic() + " " + text));
            client.subscribe("/chat/news/**", String.class, (text, info) -> news.add(text)).ready().join();
            rooms.ready().join();

            Topic<String> room = server.pagewire().topics().topic("/chat/lobby");
            for (int i = 1; i <= 50; i++) {
                room.publish("m" + i);
            }
            client.publish("/chat/lobby", "from the client").join();
            Wait.until("51 messages", 20, () -> lobby.size() == 51);
            assertEquals(IntStream.rangeClosed(1, 50).mapToObj(i -> "/chat/lobby m" + i).toList(), lobby.subList(0, 50));
            assertEquals("/chat/lobby from the client", lobby.get(50));

            rooms.unsubscribe();
            Wait.until("the server to forget the subscription", 10, () -> room.subscribers().isEmpty());
            room.publish("unheard");
            server.pagewire().topics().topic("/chat/news/today").publish("marker");
            Wait.until("the marker on the other subscription", 20, () -> news.contains("marker"));
            assertEquals(51, lobby.size(), "nothing after unsubscribe: " + lobby);
        }
    }

    @Test
    void aSubscribeTheRulesRefuseFailsClearlyAndEndsTheSubscription() {
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(server(DeliveryMode.WEBSOCKET));
             PagewireClient client = client(server, recorder)) {
            Subscription refused = client.subscribe("/secret/*", String.class, (text, info) -> { });
            CompletionException failure = assertThrows(CompletionException.class, () -> refused.ready().join());
            PagewireCallException cause = assertInstanceOf(PagewireCallException.class, failure.getCause());
            assertEquals("FORBIDDEN", cause.code());
            assertTrue(cause.getMessage().contains("/secret/*"), cause.getMessage());

            PagewireCallException publish = assertThrows(PagewireCallException.class,
                    () -> join(client.publish("/prices/ACME", 12)));
            assertEquals("FORBIDDEN", publish.code());
        }
    }

    @Test
    void aLatestValueTopicDeliversTheLatestValueAndSaysHowManyWereSkipped() throws InterruptedException {
        List<Integer> prices = new CopyOnWriteArrayList<>();
        List<TopicInfo> infos = new CopyOnWriteArrayList<>();
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = TestServer.start(server(DeliveryMode.WEBSOCKET));
             PagewireClient client = client(server, new ClientListener() { })) {
            client.subscribe("/prices/*", Integer.class, (price, info) -> {
                prices.add(price);
                infos.add(info);
                if (prices.size() == 1) {
                    firstHeld.countDown();
                    release.await(20, TimeUnit.SECONDS); // a slow client: the server conflates meanwhile
                }
            }).ready().join();

            Topic<Integer> acme = server.pagewire().topics().topic("/prices/ACME");
            acme.publishLatest("ACME", 1);
            assertTrue(firstHeld.await(20, TimeUnit.SECONDS), "the first price");
            for (int price = 2; price <= 20; price++) {
                acme.publishLatest("ACME", price);
            }
            release.countDown();

            Wait.until("the latest price", 20, () -> prices.contains(20));
            assertTrue(prices.size() < 20, "conflated: " + prices);
            assertEquals(prices.stream().sorted().toList(), prices, "in order");
            TopicInfo last = infos.get(infos.size() - 1);
            assertEquals("/prices/ACME", last.topic());
            assertEquals("ACME", last.key());
            assertEquals(20, prices.size() + infos.stream().mapToLong(TopicInfo::skipped).sum(), "every version received or counted: " + infos);
        }
    }

    @Test
    void afterThePageIsRenewedTheClientSubscribesAgain() {
        List<String> lobby = new CopyOnWriteArrayList<>();
        ClientFixture.Recorder recorder = new ClientFixture.Recorder();
        try (TestServer server = TestServer.start(server(DeliveryMode.POLLING));
             PagewireClient client = client(server, recorder)) {
            client.subscribe("/chat/*", String.class, (text, info) -> lobby.add(text)).ready().join();
            Topic<String> room = server.pagewire().topics().topic("/chat/lobby");
            room.publish("before");
            Wait.until("the message before", 10, () -> lobby.size() == 1);
            String first = client.pageId();

            room.subscribers().get(0).invalidate();
            Wait.until("the resync", 20, () -> recorder.saw("resync lost"));
            Wait.until("the new page subscribed", 20,
                    () -> room.subscribers().size() == 1 && !room.subscribers().get(0).id().equals(first));
            room.publish("after");
            Wait.until("the message after", 20, () -> lobby.size() == 2);
            assertEquals(List.of("before", "after"), lobby);
        }
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }
}
