package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.Page;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The Chat on two nodes of one real redis-server when the node serving a member stops: no node
 * hears that page end, so it stays in the room's presence, and its name stays taken, until its
 * lifetime in the store ends (the page idle timeout, short here); then its name is free at once.
 * Nodes of its own, since it stops one.
 */
class ChatNodeDiedBrowserTest extends ClusterFixture {
    private static final Duration PAGE_IDLE = Duration.ofSeconds(20);

    @BeforeAll
    static void start() {
        startCluster(PAGE_IDLE);
    }

    @Test
    void aMemberWhoseNodeStoppedKeepsTheirNameUntilTheirPageLeavesPresence() {
        ChatPage chat = new ChatPage(browser);
        chat.join(baseA(), "bob");
        String bob = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        chat.join(baseB(), "ann");
        Wait.until("ann, on node B, sees bob of node A", 10, () -> chat.members().equals(List.of("ann", "bob")));
        assertEquals(List.of(), browser.consoleErrors());

        nodeB.stop(); // its pages do not end: they live on in the store, heard from by no node
        browser.driver().close();
        browser.driver().switchTo().window(bob);
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        chat.open(baseA(), "ann");
        Wait.until("ann's name refused while her page is in presence", 10, () -> browser.driver().findElement(By.id("error"))
                .getText().equals("ann is already in lobby: pick another name"));

        Wait.until("ann's page out of the room's presence", 30, () -> !membersOnNodeA().contains("ann"));
        chat.join(baseA(), "ann");
        Wait.until("the new ann sees bob", 10, () -> chat.members().equals(List.of("ann", "bob")));
    }

    /** The names in the lobby's presence, as node A reads it from the store. */
    private static List<String> membersOnNodeA() {
        List<Page> pages = nodeA.pagewire().topics().topic("/chat/rooms/lobby").subscribers();
        return pages.stream().map(p -> (String) p.getAttribute("chat.name")).toList();
    }
}
