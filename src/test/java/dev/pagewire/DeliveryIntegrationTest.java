package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.pagewire.testing.EnginePage;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every delivery mode over real HTTP. Cut connections: {@link FaultToleranceTest}. */
class DeliveryIntegrationTest {
    private static Pagewire pagewire;
    private static Served server;

    @BeforeAll
    static void start() {
        pagewire = Pagewire.builder().expose(new Ping())
                .cometHold(Duration.ofSeconds(3)).cometWriteWindow(Duration.ofMillis(50))
                .build();
        server = Served.start(pagewire);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static EnginePage page(String path) {
        return new EnginePage(server.port(), path);
    }

    private static PageGroup group(EnginePage page) {
        return pagewire.pages().byId(page.client().pageId());
    }

    private static boolean isHeld(EnginePage page) {
        return pagewire.pageRegistry.find(page.client().pageId()).queue().waiter() != null;
    }

    @Test
    void passiveUpdatesRideOnCallRepliesUntilAcknowledged() {
        EnginePage page = page("/passive/");
        group(page).call("ui.show", 1);
        group(page).call("ui.show", 2);
        PageClient.Reply first = page.client().batch().ack(0).call("Ping", "ping").send();
        assertEquals("pong", first.reply(0).get("result").getAsString());
        page.apply(first.json().getAsJsonArray("updates"));
        assertEquals(List.of(1, 2), page.applied());
        PageClient.Reply lost = page.client().batch().ack(0).send();
        assertEquals(2, lost.json().getAsJsonArray("updates").size(), "a reply the page never applied is sent again");
        PageClient.Reply second = page.client().batch().ack(2).send();
        assertFalse(second.json().has("updates"));
        assertEquals(0, pagewire.pageRegistry.find(page.client().pageId()).queue().depth());
    }

    @Test
    void pollingAnswersAtOnceWithWhatIsQueued() {
        EnginePage page = page("/polling/");
        assertEquals(0, page.poll(false).getAsJsonArray("updates").size());
        group(page).call("ui.show", 7);
        page.apply(page.poll(false).getAsJsonArray("updates"));
        assertEquals(List.of(7), page.applied());
        assertEquals(0, page.poll(false).getAsJsonArray("updates").size());
    }

    @Test
    void cometHoldsUntilAPushAndGathersABurstIntoOneReply() throws Exception {
        EnginePage page = page("/comet/");
        CompletableFuture<JsonObject> held = CompletableFuture.supplyAsync(() -> page.poll(true));
        Wait.until("the poll to be held", 20, () -> isHeld(page));
        assertFalse(held.isDone());
        for (int i = 0; i < 5; i++) {
            group(page).call("ui.show", i);
        }
        page.apply(held.get(10, TimeUnit.SECONDS).getAsJsonArray("updates"));
        assertEquals(List.of(0, 1, 2, 3, 4), page.applied(), "one reply for the burst");
    }

    /**
     * A Comet reply goes out whole, with a {@code Content-Length} and no chunk framing, whether it
     * is answered at once on the request's thread or later on a delivery thread, and however
     * large: 850 KB is more than the socket takes in one write.
     */
    @Test
    void cometRepliesCarryALengthAndArriveWhole() throws Exception {
        EnginePage page = page("/comet-whole/");
        String text = "x".repeat(900);
        for (int i = 0; i < 900; i++) {
            group(page).call("ui.show", i, text);
        }
        try (RawHttp poll = RawHttp.send(server.port(), "POST", "/pagewire/poll", page.rawHeaders(),
                "{\"ack\":0,\"hold\":true}").readHead()) {
            assertEquals(200, poll.status());
            assertEquals(null, poll.header("Transfer-Encoding"));
            String body = poll.readBody();
            assertEquals(Integer.parseInt(poll.header("Content-Length")), body.getBytes(StandardCharsets.UTF_8).length);
            page.apply(JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("updates"));
        }
        assertEquals(900, page.applied().size());
        try (RawHttp poll = RawHttp.send(server.port(), "POST", "/pagewire/poll", page.rawHeaders(),
                "{\"ack\":900,\"hold\":true}")) {
            Wait.until("the poll to be held", 20, () -> isHeld(page));
            group(page).call("ui.show", 900, text);
            poll.readHead();
            assertEquals(null, poll.header("Transfer-Encoding"));
            String body = poll.readBody();
            assertEquals(Integer.parseInt(poll.header("Content-Length")), body.getBytes(StandardCharsets.UTF_8).length);
            page.apply(JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("updates"));
        }
        assertEquals(IntStream.rangeClosed(0, 900).boxed().toList(), page.applied());
    }

    @Test
    void theWriteWindowIsZeroByDefaultAndNeverNegative() {
        try (Pagewire defaults = Pagewire.builder().expose(new Ping()).build()) {
            assertEquals(Duration.ZERO, defaults.transports.settings().writeWindow());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pagewire.builder().cometWriteWindow(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("cometWriteWindow"), e.getMessage());
    }

    @Test
    void livePagesAndHeldRequestsAreCounted() throws Exception {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping()))) {
            Pagewire own = other.pagewire();
            assertEquals(0, own.livePages());
            PageClient first = other.page("/one/");
            new PageClient(other.port()).handshake("/two/");
            assertEquals(2, own.livePages());
            assertEquals(0, own.heldRequests());
            CompletableFuture<PageClient.Reply> held = CompletableFuture.supplyAsync(
                    () -> first.post("/poll", "{\"ack\":0,\"hold\":true}", first.pageHeaders()));
            Wait.until("the poll to be held", 20, () -> own.heldRequests() == 1);
            own.pages().byId(first.pageId()).call("ui.show", 1);
            PageClient.Reply reply = held.get(10, TimeUnit.SECONDS);
            assertEquals(200, reply.status());
            assertEquals(1, reply.json().getAsJsonArray("updates").size(), "no write window by default: sent at once");
            Wait.until("the held request to end", 20, () -> own.heldRequests() == 0);
            own.pageRegistry.find(first.pageId()).invalidate();
            assertEquals(1, own.livePages());
        }
    }

    @Test
    void cometAnswersEmptyAfterTheHoldTime() {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping()).cometHold(Duration.ofMillis(300)))) {
            PageClient client = other.page("/x/");
            PageClient.Reply r = client.post("/poll", "{\"ack\":0,\"hold\":true}", client.pageHeaders());
            assertEquals("{\"updates\":[]}", r.body());
        }
    }

    @Test
    void sseWritesEachUpdateAsAnEventAndResumesFromLastEventId() throws IOException {
        EnginePage page = page("/sse/");
        String path = page.streamPath();
        try (RawHttp stream = RawHttp.send(server.port(), "GET", path + "&ack=0", page.rawHeaders(), null).readHead()) {
            assertEquals(200, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"));
            assertEquals("no", stream.header("X-Accel-Buffering"));
            assertTrue(stream.header("Cache-Control").contains("no-cache"));
            group(page).call("ui.show", 1);
            group(page).call("ui.show", 2);
            page.readEvents(stream, 2);
        }
        assertEquals(List.of(1, 2), page.applied());
        group(page).call("ui.show", 3);
        // Reconnect as EventSource does: Last-Event-ID says what was applied; only 3 comes.
        Map<String, String> headers = new java.util.HashMap<>(page.rawHeaders());
        headers.put("Last-Event-ID", "2");
        try (RawHttp stream = RawHttp.send(server.port(), "GET", path, headers, null).readHead()) {
            page.readEvents(stream, 1);
        }
        assertEquals(List.of(1, 2, 3), page.applied());
        assertEquals(204, page.client().post("/ack", "{\"ack\":3}", page.client().pageHeaders()).status());
        assertEquals(0, pagewire.pageRegistry.find(page.client().pageId()).queue().depth());
    }

    @Test
    void aRulesPathsMayUseOnlyTheModesTheRuleAllows() throws IOException {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping())
                .deliveryRule("/comet/**", DeliveryMode.COMET)
                .deliveryRule("/live/**", DeliveryMode.COMET, DeliveryMode.SSE)
                .deliveryRule("/quiet/**", DeliveryMode.PASSIVE)
                .cometHold(Duration.ofSeconds(1)))) {
            PageClient comet = new PageClient(other.port());
            assertEquals("[\"passive\",\"polling\",\"comet\"]", allowed(comet.handshake("/comet/room")));
            assertEquals(200, comet.post("/poll", "{\"ack\":0,\"hold\":true}", comet.pageHeaders()).status());
            assertEquals(200, comet.post("/poll", "{\"ack\":0}", comet.pageHeaders()).status(), "the fallback");
            try (RawHttp stream = RawHttp.send(other.port(), "GET", streamPath(comet),
                    Map.of("Cookie", comet.cookieHeader(), "Accept", "text/event-stream"), null).readHead()) {
                assertEquals("event: refused", stream.readBodyLine());
                String data = stream.readBodyLine();
                assertTrue(data.startsWith("data: {\"status\":403,\"error\":{\"code\":\"MODE_NOT_ALLOWED\""), data);
                assertTrue(data.contains("sse is not allowed for /comet/room"), data);
            }

            PageClient live = new PageClient(other.port());
            assertEquals("[\"passive\",\"polling\",\"comet\",\"sse\"]", allowed(live.handshake("/live/")));
            try (RawHttp stream = RawHttp.send(other.port(), "GET", streamPath(live),
                    Map.of("Cookie", live.cookieHeader(), "Accept", "text/event-stream"), null).readHead()) {
                assertEquals("text/event-stream;charset=UTF-8", stream.header("Content-Type"));
            }

            PageClient quiet = new PageClient(other.port());
            assertEquals("[\"passive\"]", allowed(quiet.handshake("/quiet/")));
            assertEquals("MODE_NOT_ALLOWED", quiet.post("/poll", "{\"ack\":0}", quiet.pageHeaders()).errorCode());

            PageClient elsewhere = new PageClient(other.port());
            assertEquals("[\"passive\",\"polling\",\"comet\",\"sse\",\"websocket\"]", allowed(elsewhere.handshake("/other/")),
                    "a page under no rule may use every allowed mode");
        }
    }

    @Test
    void aRuleMayOnlyAllowModesTheServerAllows() {
        Pagewire.Builder builder = Pagewire.builder().allowDeliveryModes(DeliveryMode.PASSIVE, DeliveryMode.COMET)
                .deliveryRule("/x/**", DeliveryMode.COMET, DeliveryMode.SSE);
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertTrue(e.getMessage().contains("the rule for /x/** uses SSE"), e.getMessage());
    }

    private static String allowed(JsonObject handshake) {
        return handshake.getAsJsonObject("delivery").get("allowed").toString();
    }

    private static String streamPath(PageClient client) {
        return "/pagewire/stream?page=" + client.pageId() + "&token=" + client.token();
    }

    @Test
    void modesTheServerDoesNotAllowAreRefused() throws IOException {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping())
                .allowDeliveryModes(DeliveryMode.PASSIVE, DeliveryMode.POLLING))) {
            PageClient client = new PageClient(other.port());
            JsonObject handshake = client.handshake("/x/");
            assertEquals("[\"passive\",\"polling\"]", handshake.getAsJsonObject("delivery").get("allowed").toString());
            PageClient.Reply comet = client.post("/poll", "{\"ack\":0,\"hold\":true}", client.pageHeaders());
            assertEquals(403, comet.status());
            assertEquals("MODE_NOT_ALLOWED", comet.errorCode());
            assertEquals(200, client.post("/poll", "{\"ack\":0}", client.pageHeaders()).status());
            String path = "/pagewire/stream?page=" + client.pageId() + "&token=" + client.token();
            try (RawHttp stream = RawHttp.send(other.port(), "GET", path, Map.of("Cookie", client.cookieHeader()), null)
                    .readHead()) {
                assertEquals(403, stream.status());
            }
            // EventSource cannot see statuses: it is told by an event.
            try (RawHttp stream = RawHttp.send(other.port(), "GET", path,
                    Map.of("Cookie", client.cookieHeader(), "Accept", "text/event-stream"), null).readHead()) {
                assertEquals(200, stream.status());
                assertEquals("event: refused", stream.readBodyLine());
                String data = stream.readBodyLine();
                assertTrue(data.startsWith("data: {\"status\":403,\"error\":{\"code\":\"MODE_NOT_ALLOWED\""), data);
            }
        }
    }

    @Test
    void idleStreamsGetHeartbeatEventsThePageCanSee() throws IOException {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping()).sseHeartbeat(Duration.ofMillis(100)))) {
            PageClient client = new PageClient(other.port());
            JsonObject handshake = client.handshake("/hb/");
            assertEquals(100, handshake.getAsJsonObject("delivery").get("heartbeatMillis").getAsInt());
            String path = "/pagewire/stream?page=" + client.pageId() + "&token=" + client.token();
            try (RawHttp stream = RawHttp.send(other.port(), "GET", path, Map.of("Cookie", client.cookieHeader()), null)
                    .readHead()) {
                String line;
                do {
                    line = stream.readBodyLine();
                } while (line != null && !line.equals("event: hb"));
                assertEquals("event: hb", line);
                assertEquals("data: {}", stream.readBodyLine());
            }
        }
    }

    @Test
    void heldRequestsPastThePerBrowserCapFallBackToPolling() throws Exception {
        PageClient browser = new PageClient(server.port());
        List<Map<String, String>> tabs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.handshake("/tab/");
            tabs.add(browser.pageHeaders());
        }
        List<CompletableFuture<PageClient.Reply>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> tab = tabs.get(i);
            held.add(CompletableFuture.supplyAsync(() -> browser.post("/poll", "{\"ack\":0,\"hold\":true}", tab)));
        }
        Wait.until("two held polls", 20, () -> tabs.subList(0, 2).stream()
                .allMatch(t -> pagewire.pageRegistry.find(t.get("Pagewire-Page")).queue().waiter() != null));
        PageClient.Reply third = browser.post("/poll", "{\"ack\":0,\"hold\":true}", tabs.get(2));
        assertTrue(third.body().matches("\\{\"updates\":\\[],\"fallback\":\"polling\",\"time\":\\d+}"),
                "answered at once: poll instead: " + third.body());
        for (Map<String, String> tab : tabs.subList(0, 2)) {
            pagewire.pages().byId(tab.get("Pagewire-Page")).call("ui.show", 1);
        }
        for (CompletableFuture<PageClient.Reply> f : held) {
            assertEquals(1, f.get(10, TimeUnit.SECONDS).json().getAsJsonArray("updates").size());
        }
    }

    /**
     * The container learns of a cut connection only when it writes; the page's next poll replaces
     * the cut one, so its place is free again at once, not after the hold time.
     */
    @Test
    void aPageWhoseCometConnectionWasCutHoldsAgainWithItsNextPoll() throws Exception {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping())
                .maxHeldRequestsPerHttpSession(1).cometHold(Duration.ofSeconds(60)))) {
            PageClient client = other.page("/cut/");
            Map<String, String> headers = new java.util.HashMap<>(client.pageHeaders());
            headers.put("Cookie", client.cookieHeader());
            headers.put("Content-Type", "application/json");
            RawHttp cut = RawHttp.send(other.port(), "POST", "/pagewire/poll", headers, "{\"ack\":0,\"hold\":true}");
            Wait.until("the poll to be held", 20, () -> other.pagewire().heldRequests() == 1);
            cut.close();
            CompletableFuture<PageClient.Reply> again = CompletableFuture.supplyAsync(
                    () -> client.post("/poll", "{\"ack\":0,\"hold\":true}", client.pageHeaders()));
            Wait.until("the new poll to be held in the one place", 20,
                    () -> other.pagewire().heldRequests() == 1 && !again.isDone());
            other.pagewire().pages().byId(client.pageId()).call("ui.show", 1);
            PageClient.Reply reply = again.get(10, TimeUnit.SECONDS);
            assertEquals(1, reply.json().getAsJsonArray("updates").size(), reply.body());
            assertFalse(reply.body().contains("fallback"), reply.body());
        }
    }

    /** As {@link #aPageWhoseCometConnectionWasCutHoldsAgainWithItsNextPoll}, for a stream. */
    @Test
    void aPageWhoseStreamWasCutStreamsAgainWithItsNextOne() throws Exception {
        try (TestServer other = TestServer.start(Pagewire.builder().expose(new Ping()).maxHeldRequestsPerHttpSession(1))) {
            PageClient client = other.page("/cut-stream/");
            Map<String, String> cookie = Map.of("Cookie", client.cookieHeader());
            RawHttp cut = RawHttp.send(other.port(), "GET", streamPath(client), cookie, null).readHead();
            assertEquals("retry: 5000", cut.readBodyLine());
            cut.close();
            try (RawHttp again = RawHttp.send(other.port(), "GET", streamPath(client), cookie, null).readHead()) {
                assertEquals(200, again.status());
                assertEquals("retry: 5000", again.readBodyLine(), "streaming, not told to fall back: " + again.seen());
            }
        }
    }

    @Test
    void endedSessionsAnswerHeldPollsAndAre410Afterwards() throws Exception {
        EnginePage page = page("/ending/");
        CompletableFuture<JsonObject> held = CompletableFuture.supplyAsync(() -> page.poll(true));
        Wait.until("the poll to be held", 20, () -> isHeld(page));
        PageClient.Reply unload = page.client().post("/unload", "{\"page\":\"" + page.client().pageId()
                + "\",\"token\":\"" + page.client().token() + "\"}", Map.of("Content-Type", "text/plain;charset=UTF-8"));
        assertEquals(204, unload.status());
        assertEquals(0, held.get(10, TimeUnit.SECONDS).getAsJsonArray("updates").size());
        PageClient.Reply after = page.client().post("/poll", "{\"ack\":0}", page.client().pageHeaders());
        assertEquals(410, after.status());
        assertEquals("PAGE_UNKNOWN", after.errorCode());
    }
}
