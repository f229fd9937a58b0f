package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Cuts;
import dev.pagewire.testing.ProbePage;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 publishes on a topic reach a subscribed page in real Chromium once each and in order,
 * in every active delivery mode, while its TCP connections are cut at random points (a {@link
 * Balancer} in front of the server): topic updates ride on the numbered, acknowledged delivery.
 */
class TopicCutsBrowserTest {
    private static final int PUBLISHES = 10_000;
    private static final int CUTS = 3;

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Balancer balancer;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        ProbePage.writeTo(web);
        Files.createDirectories(web.resolve("auto"));
        Files.copy(web.resolve("push/index.html"), web.resolve("auto/index.html"));
        // Pages start passive and the test switches each to its mode, but for the polling case,
        // whose page (at /auto/) starts on auto and is switched to polling as soon as its shared
        // socket is open: the page must end up polling, and the server must see it so (the switch
        // while the socket still opens is js-client/test/switching.test.js's).
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe()).deliveryMode(DeliveryMode.PASSIVE)
                .deliveryRule("/auto/", DeliveryMode.AUTO)
                .topic(TopicRule.on("/load/*").subscribe(TopicAccess.anyone()))
                .pollInterval(Duration.ofMillis(100)).maxQueuedUpdates(PUBLISHES + 2_000).build();
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        balancer = Balancer.start(server.port());
        browser = new Browser();
    }

    @AfterEach
    void blank() {
        browser.driver().get("about:blank");
    }

    @ParameterizedTest
    @EnumSource(names = {"POLLING", "COMET", "SSE", "WEBSOCKET"})
    void tenThousandPublishesAcrossRandomCutsArriveOnceInOrder(DeliveryMode mode) {
        String path = mode == DeliveryMode.POLLING ? "/auto/" : "/push/";
        browser.driver().get("http://localhost:" + balancer.port() + path);
        String topic = "/load/" + mode.wireName();
        String id = (String) browser.await("const id = await pagewire.ready; window.got = [];"
                + "await pagewire.subscribe(arguments[0], (n) => got.push(n)).ready; return id;", topic);
        LivePage page = pagewire.pageRegistry.find(id);
        if (mode == DeliveryMode.POLLING) {
            Wait.until("auto's socket open", 20, () -> page.deliveryMode() == DeliveryMode.WEBSOCKET && page.queue().waiter() != null);
        }
        browser.js("pagewire.reverseAjax(arguments[0]);", mode.wireName());
        Wait.until("the page in " + mode, 20, () -> page.deliveryMode() == mode
                && (mode == DeliveryMode.POLLING || page.queue().waiter() != null));
        if (mode == DeliveryMode.POLLING) {
            assertEquals(List.of("mode:auto", "mode:polling"), browser.js("return window.events.filter((e) => e.startsWith('mode'));"),
                    "started on auto (its websocket), then polling");
        }

        Topic<Integer> load = pagewire.topics().topic(topic);
        // Three cuts at random points: more, each soon after the last, and the engine's backoff
        // (1, 2, 5, 10, 30 s) would make this test slow, not stronger.
        Set<Integer> cutAt = new Random(mode.ordinal() + 41).ints(1, PUBLISHES).distinct().limit(CUTS).boxed()
                .collect(Collectors.toSet());
        List<Long> expected = new ArrayList<>();
        for (int i = 1; i <= PUBLISHES; i++) {
            load.publish(i);
            expected.add((long) i);
            if (cutAt.contains(i)) {
                Cuts.cutAndAwaitReconnect(balancer, page, "the cut at " + i + " in " + mode.name().toLowerCase(Locale.ROOT));
            }
        }
        Wait.until(PUBLISHES + " publishes applied in " + mode, 120,
                () -> ((Number) browser.js("return window.got.length;")).intValue() >= PUBLISHES);
        assertEquals(expected, browser.js("return window.got;"), "each publish once, in order, across the cuts at " + cutAt);
        assertEquals(List.of(), browser.js("return window.events.filter((e) => e.startsWith('resync') || e.startsWith('error'));"));
    }
}
