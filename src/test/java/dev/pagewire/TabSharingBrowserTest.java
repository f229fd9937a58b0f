package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.push.LivePage;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

/**
 * Ten tabs of one page in one Chromium, in websocket mode: one tab leads and holds the one
 * socket to the server, which carries the other nine pages; a push to all reaches every tab once;
 * when the leader tab closes, another leads and the rest keep receiving, each push applied once
 * and in order.
 */
class TabSharingBrowserTest {
    private static final int TABS = 10;

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Browser browser;
    /** Socket upgrades the browser asked for: each is one connection held open. */
    private static final AtomicInteger UPGRADES = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(web.resolve("tabs.html"), """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>tabs</title>
                <link rel="icon" href="data:,">
                <script src="/pagewire/engine.js"></script>
                </head><body><script>
                  window.applied = [];
                  window.receivedAt = []; // ms since the epoch, to compare tabs
                  pagewire.expose('ui', { show(n) { applied.push(n); receivedAt.push(performance.timeOrigin + performance.now()); } });
                </script></body></html>
                """);
        pagewire = Pagewire.builder().deliveryMode(DeliveryMode.WEBSOCKET).build();
        Filter countUpgrades = (request, response, chain) -> {
            if ("websocket".equalsIgnoreCase(((HttpServletRequest) request).getHeader("Upgrade"))) {
                UPGRADES.incrementAndGet();
            }
            chain.doFilter(request, response);
        };
        server = PagewireServer.create(pagewire).staticFiles(web).filter("/pagewire/socket", countUpgrades).start(0);
        browser = new Browser();
    }

    @Test
    void tenTabsShareOneConnectionAndKeepReceivingWhenTheLeaderCloses() {
        Map<String, String> tabs = new LinkedHashMap<>(); // window handle -> page id
        for (int i = 0; i < TABS; i++) {
            if (i > 0) {
                browser.driver().switchTo().newWindow(WindowType.TAB);
            }
            browser.driver().get("http://localhost:" + server.port() + "/tabs.html");
            String id = (String) browser.await("return await pagewire.ready;");
            String role = i == 0 ? "leader" : "follower";
            Wait.until("tab " + i + " as " + role, 10, () -> role.equals(browser.js("return pagewire.tabRole;")));
            tabs.put(browser.driver().getWindowHandle(), id);
        }
        String leader = tabs.values().iterator().next();
        waitUntilCarriedBy(leader, tabs.values());
        assertEquals(1, UPGRADES.get(), "one socket for ten tabs");
        assertEquals(0, pagewire.metrics().heldRequests(), "and no held request");

        pagewire.pages().all().call("ui.show", 1);
        List<Double> times = new ArrayList<>();
        for (String tab : tabs.keySet()) {
            browser.driver().switchTo().window(tab);
            Wait.until("the push in every tab", 15, () -> List.of(1L).equals(browser.js("return window.applied;")));
            times.add(((Number) browser.js("return window.receivedAt[0];")).doubleValue());
        }
        double spread = times.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - times.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        System.out.printf("TabSharingBrowserTest: ten tabs applied one push within %.1f ms of each other%n", spread);

        String leaderTab = tabs.keySet().iterator().next();
        browser.driver().switchTo().window(leaderTab).close();
        tabs.remove(leaderTab);
        String newLeader = waitForNewLeader(tabs);
        waitUntilCarriedBy(newLeader, tabs.values());
        for (long n = 2; n <= 21; n++) {
            pagewire.pages().all().call("ui.show", n);
        }
        List<Long> expected = LongStream.rangeClosed(1, 21).boxed().toList();
        for (String tab : tabs.keySet()) {
            browser.driver().switchTo().window(tab);
            Wait.until("21 pushes in each remaining tab", 15,
                    () -> ((Number) browser.js("return window.applied.length;")).intValue() >= 21);
            assertEquals(expected, browser.js("return window.applied;"), "each push once, in order, in " + tabs.get(tab));
        }
        assertEquals(2, UPGRADES.get(), "the new leader's socket, and no other");
        assertEquals(List.of(), browser.consoleErrors());
        browser.leaveOneBlankWindow();
    }

    /** Waits until the page {@code leader} has the socket and carries every other page of {@code ids}. */
    private static void waitUntilCarriedBy(String leader, Iterable<String> ids) {
        Wait.until("every page carried by " + leader, 15, () -> {
            for (String id : ids) {
                LivePage page = pagewire.pageRegistry.find(id);
                Optional<String> expected = id.equals(leader) ? Optional.empty() : Optional.of(leader);
                if (page == null || page.deliveryMode() != DeliveryMode.WEBSOCKET || !page.carriedBy().equals(expected)
                        || page.queue().waiter() == null) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The page id of the tab that leads after the first leader closed. */
    private static String waitForNewLeader(Map<String, String> tabs) {
        String[] found = new String[1];
        Wait.until("a new leader", 15, () -> {
            for (Map.Entry<String, String> tab : tabs.entrySet()) {
                browser.driver().switchTo().window(tab.getKey());
                if ("leader".equals(browser.js("return pagewire.tabRole;"))) {
                    found[0] = tab.getValue();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
