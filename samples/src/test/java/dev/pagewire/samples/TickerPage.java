package dev.pagewire.samples;

import dev.pagewire.testing.Browser;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/** The Ticker sample's page as tests see it: one frame per delivery mode, each with its counters. */
final class TickerPage {
    static final List<String> ACTIVE_MODES = List.of("polling", "comet", "sse", "websocket");
    static final List<String> MODES = List.of("passive", "polling", "comet", "sse");

    private final Browser browser;

    TickerPage(Browser browser) {
        this.browser = browser;
    }

    /** The text of the element {@code id} in the frame for {@code mode}, or {@code null} before it loaded. */
    String text(String mode, String id) {
        return (String) browser.js("""
                const frame = document.querySelector(`iframe[src$="mode=${arguments[0]}"]`);
                const element = frame && frame.contentDocument && frame.contentDocument.getElementById(arguments[1]);
                return element ? element.textContent : null;
                """, mode, id);
    }

    /** Updates the frame applied, or -1 before it loaded. */
    long updates(String mode) {
        return number(text(mode, "updates"));
    }

    /** Older prices the frame skipped (the server kept only the newest per symbol), or -1 before it loaded. */
    long skipped(String mode) {
        return number(text(mode, "skipped"));
    }

    /** Pagewire requests the frame counted, or -1 before it loaded. */
    long requests(String mode) {
        return number(text(mode, "requests"));
    }

    /** Rows in the frame's price table, or -1 before it loaded. */
    long rows(String mode) {
        Object rows = browser.js("""
                const frame = document.querySelector(`iframe[src$="mode=${arguments[0]}"]`);
                const table = frame && frame.contentDocument && frame.contentDocument.getElementById('quotes');
                return table ? table.rows.length : -1;
                """, mode);
        return ((Number) rows).longValue();
    }

    /** Clicks the passive frame's "Make a call". */
    void makeCall() {
        WebDriver driver = browser.driver();
        driver.switchTo().frame(driver.findElement(By.cssSelector("iframe[src$='mode=passive']")));
        try {
            driver.findElement(By.id("call")).click();
        } finally {
            driver.switchTo().defaultContent();
        }
    }

    private static long number(String text) {
        return text == null || text.isBlank() ? -1 : Long.parseLong(text.trim());
    }
}
