package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.Browser;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The samples server as two nodes of a cluster on one real redis-server (what
 * {@code PAGEWIRE_REDIS} does): a Notes window on node A shows a note sent from a window on node
 * B, in every active mode. The nodes are reached as {@code localhost} and {@code 127.0.0.1}, two
 * hosts to the browser, so that each keeps its own HTTP-session cookie (cookies ignore ports).
 */
class ClusterBrowserTest {
    @AutoClose
    static RedisServer redis;
    @AutoClose("stop")
    static SamplesServer nodeA;
    @AutoClose("stop")
    static SamplesServer nodeB;
    @AutoClose
    static Browser browser;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        nodeA = SamplesServer.start(0, redis.uri());
        nodeB = SamplesServer.start(0, redis.uri());
        browser = new Browser();
    }

    @AfterEach
    void oneBlankWindow() {
        browser.leaveOneBlankWindow();
    }

    private void openNotes(String base, String mode) {
        browser.driver().get(base + "/notes/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.cssSelector("[data-mode=" + mode + "]")).click();
        Wait.until(mode + " chosen", 10, () -> mode.equals(browser.js("return pagewire.mode;")));
    }

    private List<String> notes() {
        return browser.driver().findElements(By.cssSelector("#notes li")).stream().map(e -> e.getText()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "comet", "polling"})
    void aNoteSentOnNodeBShowsInAWindowOnNodeA(String mode) {
        openNotes("http://localhost:" + nodeA.port(), mode);
        String onA = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        openNotes("http://127.0.0.1:" + nodeB.port(), mode);

        String text = "from node B, " + mode;
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#form button")).click();
        Wait.until("the note on node B's window", 15, () -> notes().contains(text));
        browser.driver().switchTo().window(onA);
        Wait.until("the note on node A's window", 15, () -> notes().contains(text));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
