package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Wait;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Ticker sample in real Chromium: one pushed stream, received in each delivery mode. */
class TickerBrowserTest extends SamplesFixture {
    private static final String DELAY = "\\d+ ms|\\d+\\.\\d s";

    private TickerPage page;

    @BeforeEach
    void open() {
        browser.driver().get(base + "/ticker/");
        browser.consoleErrors();
        page = new TickerPage(browser);
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void activeFramesReceiveTheStreamInTheirOwnMode() {
        Map<String, Long> seen = new HashMap<>();
        for (String mode : TickerPage.ACTIVE_MODES) {
            Wait.until(mode + " updates", 15, () -> page.updates(mode) > 0);
            seen.put(mode, page.updates(mode));
        }
        for (String mode : TickerPage.ACTIVE_MODES) {
            Wait.until(mode + " updates to keep coming", 15, () -> page.updates(mode) > seen.get(mode));
            assertEquals(mode, page.text(mode, "mode"), "the frame did not fall back to another mode");
            assertTrue(page.requests(mode) > 0, mode + " requests: " + page.requests(mode));
            String delay = page.text(mode, "delay");
            assertTrue(delay.matches(DELAY), mode + " delay: " + delay);
        }
    }

    @Test
    void passiveFrameReceivesOnlyWithItsCallsTheNewestPricePerSymbol() {
        // The frame has its rows once its first call (Ticker.quotes, with the subscription) has come back.
        Wait.until("the passive frame's prices", 15, () -> page.rows("passive") == 5);
        Wait.until("its handshake, its confirmation and first call counted", 10, () -> page.requests("passive") == 3);
        long updates = page.updates("passive");
        long skipped = page.skipped("passive");
        long requests = page.requests("passive");
        long comet = page.updates("comet");
        Wait.until("prices to move meanwhile", 15, () -> page.updates("comet") >= comet + 20);
        assertEquals(updates, page.updates("passive"), "updates without a call");
        assertEquals(requests, page.requests("passive"), "requests without a call");

        page.makeCall();
        Wait.until("the burst on the call's reply", 10, () -> page.updates("passive") > updates);
        Wait.until("the burst's size", 10, () -> page.text("passive", "burst")
                .matches("\\d+ updates came with the reply; \\d+ older prices were skipped\\."));
        long burst = page.updates("passive") - updates;
        assertTrue(burst <= 5, "at most the newest price per symbol (5 symbols), after 20 moves: " + burst);
        Wait.until("the call counted", 10, () -> page.requests("passive") == requests + 1);
        assertTrue(page.text("passive", "delay").matches(DELAY), page.text("passive", "delay"));

        // Symbols it has seen move again, several times each: the next call's reply counts the skipped ones.
        long seen = page.updates("passive");
        long comet2 = page.updates("comet");
        Wait.until("prices to move again", 15, () -> page.updates("comet") >= comet2 + 20);
        page.makeCall();
        Wait.until("the second burst", 10, () -> page.updates("passive") > seen);
        Wait.until("older prices counted as skipped", 10, () -> page.skipped("passive") > skipped);
    }
}
