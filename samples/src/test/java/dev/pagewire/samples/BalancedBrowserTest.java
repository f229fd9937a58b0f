package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Balancer;
import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The two samples nodes of {@link ClusterFixture} behind a round-robin balancer, no sticky sessions,
 * reached by real Chromium at one address: the browser's connections go to both nodes, so a
 * page's requests land on either, and connections are cut while the windows are open; two Notes
 * windows still see each other's notes, in every active mode.
 */
class BalancedBrowserTest extends ClusterFixture {
    @AutoClose
    static Balancer balancer;

    @BeforeAll
    static void startBalancer() { // after the fixture's nodes
        balancer = Balancer.start(nodeA.port(), nodeB.port());
    }

    @AfterEach
    void oneBlankWindow() {
        browser.leaveOneBlankWindow();
    }

    private void openNotes(String mode) {
        browser.driver().get("http://localhost:" + balancer.port() + "/notes/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.cssSelector("[data-mode=" + mode + "]")).click();
        Wait.until(mode + " chosen", 10, () -> mode.equals(browser.js("return pagewire.mode;")));
    }

    private List<String> notes() {
        return browser.driver().findElements(By.cssSelector("#notes li")).stream().map(e -> e.getText()).toList();
    }

    private void send(String text) {
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#form button")).click();
        Wait.until("the note in the window that sent it", 20, () -> notes().contains(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "comet", "polling"})
    void twoWindowsBehindTheBalancerSeeEachOthersNotesAcrossCuts(String mode) {
        int servedA = balancer.connections(nodeA.port());
        int servedB = balancer.connections(nodeB.port());
        openNotes(mode);
        String first = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        openNotes(mode);
        String second = browser.driver().getWindowHandle();

        String before = "before the cut, " + mode;
        send(before);
        browser.driver().switchTo().window(first);
        Wait.until("the note in the other window", 20, () -> notes().contains(before));

        balancer.cutAll(); // every connection reset: the pages reconnect, now to either node
        String after = "after the cut, " + mode;
        send(after);
        browser.driver().switchTo().window(second);
        Wait.until("the note after the cut in the other window", 30, () -> notes().contains(before) && notes().contains(after));
        assertTrue(balancer.connections(nodeA.port()) > servedA && balancer.connections(nodeB.port()) > servedB,
                "both nodes served this browser");
    }
}
