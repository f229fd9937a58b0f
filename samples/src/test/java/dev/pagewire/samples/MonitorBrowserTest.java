package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;

/**
 * The Monitor sample in real Chromium: pages opening and closing in other tabs show up live, and
 * tabs sharing one WebSocket show their leader.
 */
class MonitorBrowserTest extends SamplesFixture {
    private String monitorTab;

    @BeforeEach
    void open() {
        browser.driver().get(base + "/monitor/");
        browser.consoleErrors();
        monitorTab = browser.driver().getWindowHandle();
        Wait.until("the monitor listing itself", 10, () -> rowsFor("/monitor/ (this page)").size() == 1);
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aPageOpeningAndClosingInAnotherTabComesAndGoes() {
        WebDriver driver = browser.driver();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "/echo/");
        String echo = (String) browser.await("return await pagewire.ready;");
        driver.switchTo().window(monitorTab);

        Wait.until("a row for /echo/", 10, () -> rowsFor("/echo/").size() == 1);
        List<String> row = rowsFor("/echo/").get(0);
        assertEquals(echo.substring(0, 8) + "…", row.get(0), "the page id, shortened");
        assertEquals("passive", row.get(2));
        assertFalse(driver.getPageSource().contains(echo), "the whole page id is on the page");

        driver.switchTo().window(driver.getWindowHandles().stream().filter(h -> !h.equals(monitorTab))
                .findFirst().orElseThrow());
        driver.close(); // the page's unload beacon ends the page at once
        driver.switchTo().window(monitorTab);
        Wait.until("the /echo/ row to go", 10, () -> rowsFor("/echo/").isEmpty());
    }

    @Test
    void numbersMoveWithoutPagesOpeningOrClosing() {
        // The monitor's own stream is acknowledged as pushes arrive, about every second.
        long acked = Long.parseLong(rowsFor("/monitor/ (this page)").get(0).get(5));
        Wait.until("its acknowledgements to grow", 10,
                () -> Long.parseLong(rowsFor("/monitor/ (this page)").get(0).get(5)) > acked);
        assertEquals("sse", rowsFor("/monitor/ (this page)").get(0).get(2));
    }

    @Test
    void tabsSharingOneSocketShowTheirLeader() {
        WebDriver driver = browser.driver();
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            driver.switchTo().newWindow(WindowType.TAB);
            driver.get(base + "/notes/");
            ids[i] = (String) browser.await("await pagewire.ready; pagewire.reverseAjax('websocket'); return pagewire.pageId;");
            String role = i == 0 ? "leader" : "follower";
            Wait.until("the notes tab as " + role, 10, () -> role.equals(browser.js("return pagewire.tabRole;")));
        }
        driver.switchTo().window(monitorTab);
        Wait.until("the leader and the tab it carries", 10, () -> {
            List<String> connections = rowsFor("/notes/").stream().map(row -> row.get(7)).sorted().toList();
            return connections.equals(List.of("leader of 1 tab", "via " + ids[0].substring(0, 8) + "…"));
        });
        assertEquals(List.of("own"), rowsFor("/monitor/ (this page)").stream().map(row -> row.get(7)).toList());
        browser.leaveOneBlankWindow();
    }

    /** The cells of the rows whose Page column reads {@code page}. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> rowsFor(String page) {
        return (List<List<String>>) browser.js("""
                return [...document.querySelectorAll('#rows tr')]
                    .map((tr) => [...tr.cells].map((td) => td.textContent))
                    .filter((cells) => cells[1] === arguments[0]);
                """, page);
    }
}
