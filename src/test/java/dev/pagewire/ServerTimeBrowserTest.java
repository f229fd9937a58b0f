package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Browser;
import dev.pagewire.testing.ProbePage;
import dev.pagewire.testing.Served;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code pagewire.serverTime()} in real Chromium against a server whose clock is skewed by hours
 * from the browser's (the same machine's clock): the engine's estimate of the offset is within
 * half the round trip of its best exchange, which the page brings to a few ms by calling; and a
 * topic update carries the skewed time of its publish. Once with calls by {@code POST call}
 * (passive) and once over the page's socket.
 */
class ServerTimeBrowserTest {
    /** The server's clock runs this far behind the browser's. */
    private static final long SKEW_MILLIS = -(3 * 3_600_000L + 17 * 60_000L + 123);
    private static final Clock SERVER_CLOCK = Clock.offset(Clock.systemUTC(), Duration.ofMillis(SKEW_MILLIS));

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static Served server;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        ProbePage.writeTo(web);
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe()).clock(SERVER_CLOCK)
                .topic(TopicRule.on("/clock/*").subscribe(TopicAccess.anyone()))
                .build();
        server = Served.start(pagewire, web);
        browser = new Browser();
    }

    @AfterEach
    void noErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    @ParameterizedTest
    @EnumSource(names = {"PASSIVE", "WEBSOCKET"})
    void serverTimeIsWithinAFewMillisecondsOfTheSkewedServerClock(DeliveryMode mode) {
        browser.driver().get("http://localhost:" + server.port() + "/push/");
        String id = (String) browser.await("const id = await pagewire.ready; pagewire.reverseAjax(arguments[0]); return id;",
                mode.name().toLowerCase(Locale.ROOT));
        if (mode == DeliveryMode.WEBSOCKET) {
            Wait.until("the page's socket", 20, () -> pagewire.pageRegistry.find(id).queue().waiter() != null);
        }

        // Calls until one took at most 10 ms there and back: the estimate is then within 5 ms.
        Wait.until("an exchange of 10 ms or less", 30, () -> (Boolean) browser.await(
                "await Probe.ping(); return pagewire.serverClock.roundTrip <= 10;"));
        @SuppressWarnings("unchecked")
        List<Number> measured = (List<Number>) browser.js(
                "return [pagewire.serverTime() - Date.now(), pagewire.serverClock.roundTrip];");
        double offset = measured.get(0).doubleValue();
        double roundTrip = measured.get(1).doubleValue();
        // Half the round trip bounds the error; 1 ms more for the two clocks' rounding.
        assertTrue(Math.abs(offset - SKEW_MILLIS) <= roundTrip / 2 + 1,
                "estimated offset " + offset + " ms, the server's clock is off by " + SKEW_MILLIS
                        + " ms, round trip " + roundTrip + " ms");
    }

    @ParameterizedTest
    @EnumSource(names = {"POLLING", "WEBSOCKET"})
    void aTopicUpdateCarriesTheServerTimeOfItsPublish(DeliveryMode mode) {
        browser.driver().get("http://localhost:" + server.port() + "/push/");
        browser.await("await pagewire.ready; window.times = [];"
                + "await pagewire.subscribe('/clock/tick', (data, info) => times.push(info.time)).ready;"
                + "pagewire.reverseAjax(arguments[0]);", mode.name().toLowerCase(Locale.ROOT));
        long before = SERVER_CLOCK.millis();
        pagewire.topics().topic("/clock/tick").publish("tick");
        long after = SERVER_CLOCK.millis();
        Wait.until("the page receives the tick", 20, () -> !((List<?>) browser.js("return window.times;")).isEmpty());
        long time = ((Number) ((List<?>) browser.js("return window.times;")).get(0)).longValue();
        assertTrue(before <= time && time <= after, "published between " + before + " and " + after + ", stamped " + time);
    }
}
