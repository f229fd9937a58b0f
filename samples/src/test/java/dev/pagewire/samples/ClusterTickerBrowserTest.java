package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.pagewire.testing.Wait;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.WindowType;

/**
 * The Ticker sample on two nodes of one Redis: one ticker for the cluster. Node A leads; SSE frames on node A ({@code localhost}) and node B ({@code
 * 127.0.0.1}) record each price they show. The tests run in order: the last ones stop node A.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTickerBrowserTest extends ClusterFixture {
    /** Records each price the frame shows, as "SYMBOL price", in {@code window.shown}. */
    private static final String RECORD = """
            window.shown = [];
            new MutationObserver((records) => {
              for (const record of records) {
                const cell = record.target; // the text set then, not now: several may come in one batch
                if (cell.cellIndex === 1 && record.addedNodes.length) {
                  shown.push(cell.parentElement.cells[0].textContent + ' ' + record.addedNodes[0].textContent);
                }
              }
            }).observe(document.getElementById('quotes'), { childList: true, subtree: true });
            """;

    static String onA;
    static String onB;

    @BeforeAll
    static void openFrames() {
        onA = openFrame(baseA());
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        onB = openFrame(baseB());
    }

    /** Opens an SSE ticker frame in the current window and starts recording; returns the window. */
    private static String openFrame(String base) {
        browser.driver().get(base + "/ticker/frame.html?mode=sse");
        browser.await("await pagewire.ready; return true;");
        Wait.until("the frame's prices", 10, () -> ((Number) browser.js("return document.querySelectorAll('#quotes tr').length;")).intValue() == 5);
        browser.js(RECORD);
        return browser.driver().getWindowHandle();
    }

    /** What {@code Ticker.quotes()} returns to the frame in {@code window}. */
    private static Object quotes(String window) {
        browser.driver().switchTo().window(window);
        return browser.await("return JSON.stringify(await Ticker.quotes());");
    }

    @SuppressWarnings("unchecked")
    private static List<String> shown(String window) {
        browser.driver().switchTo().window(window);
        return (List<String>) browser.js("return shown;");
    }

    @Test
    @Order(1)
    void framesOnBothNodesShowTheSameSequenceOfPrices() {
        Wait.until("20 prices on node B", 15, () -> shown(onB).size() >= 20);
        List<String> fromB = shown(onB).subList(5, 20);
        // A's frame recorded since before B's: B's prices appear in it, in the same order, none between.
        Wait.until("node B's prices, in order, on node A", 15, () -> Collections.indexOfSubList(shown(onA), fromB) >= 0);
        // Ticker.quotes() answers the same on both nodes (moments apart: retried until no price moved between).
        Wait.until("the same quotes from both nodes", 15, () -> quotes(onA).equals(quotes(onB)));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    @Order(2)
    void whenTheLeaderStopsTheOtherNodeTakesOver() {
        String leaderA = redis.command("GET", TICKER_LEADER);
        assertNotNull(leaderA);
        browser.driver().switchTo().window(onA).close();
        nodeA.stop();
        Wait.until("node B to lead", 10, () -> {
            String leader = redis.command("GET", TICKER_LEADER);
            return leader != null && !leader.equals(leaderA);
        });
        int before = shown(onB).size();
        Wait.until("prices on node B again", 15, () -> shown(onB).size() >= before + 10);
    }

    @Test
    @Order(3)
    void aLeaderThatDiedHoldingTheLeaseIsReplacedWhenItExpires() {
        // A node killed while leading never gives the lease up: it runs out (3 s).
        redis.command("SET", TICKER_LEADER, "a-node-that-died", "PX", "3000");
        Wait.until("a live node to lead", 15, () -> {
            String leader = redis.command("GET", TICKER_LEADER);
            return leader != null && !leader.equals("a-node-that-died");
        });
        int before = shown(onB).size();
        Wait.until("prices on node B again", 15, () -> shown(onB).size() >= before + 10);
        assertEquals(List.of(), browser.consoleErrors());
    }
}
