package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The samples on two nodes of one Redis: a Notes window on node A shows a note sent from a window
 * on node B, in every active mode; a chat room is one room across both nodes, its members the
 * presence of both; each node's monitor lists the pages that node holds.
 */
class ClusterBrowserTest extends ClusterFixture {
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
        openNotes(baseA(), mode);
        String onA = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        openNotes(baseB(), mode);

        String text = "from node B, " + mode;
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#form button")).click();
        Wait.until("the note on node B's window", 15, () -> notes().contains(text));
        browser.driver().switchTo().window(onA);
        Wait.until("the note on node A's window", 15, () -> notes().contains(text));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aChatRoomSpansBothNodes() {
        ChatPage chat = new ChatPage(browser);
        chat.join(baseB(), "bob");
        String bob = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        chat.join(baseA(), "ann");
        String ann = browser.driver().getWindowHandle();
        Wait.until("ann, on node A, sees bob of node B", 10, () -> chat.members().equals(List.of("ann", "bob")));
        chat.say("hello from node A");

        browser.driver().switchTo().window(bob);
        Wait.until("bob, on node B, sees ann join and her message", 10, () -> chat.members().equals(List.of("ann", "bob"))
                && chat.messages().contains("ann joined") && chat.shows("ann: hello from node A"));
        // The members come from presence: all Redis keeps for the chat is one claim per name.
        assertEquals(List.of("pagewire-samples:chat:name:5:lobby:ann", "pagewire-samples:chat:name:5:lobby:bob"),
                redis.command("KEYS", "pagewire-samples:chat:*").lines().sorted().toList());
        chat.whisperTo("ann");
        chat.say("just for you");
        browser.driver().switchTo().window(ann);
        Wait.until("ann gets bob's whisper", 10, () -> chat.shows("bob → ann (private): just for you"));
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        String another = browser.driver().getWindowHandle();
        chat.open(baseB(), "ann");
        Wait.until("ann's name refused on node B", 10, () -> browser.driver().findElement(By.id("error")).getText()
                .equals("ann is already in lobby: pick another name"));
        assertEquals(List.of(), browser.consoleErrors());

        // ann closes her window on node A: node A ends her page, and bob's list on node B loses her.
        browser.driver().switchTo().window(ann).close();
        browser.driver().switchTo().window(bob);
        Wait.until("ann gone from bob's list", 15, () -> chat.members().equals(List.of("bob")) && chat.messages().contains("ann left"));
        // Her leave freed her name: node B gives it to another page.
        browser.driver().switchTo().window(another);
        chat.join(baseB(), "ann");
        Wait.until("the new ann, on node B, sees bob", 10, () -> chat.members().equals(List.of("ann", "bob")));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void eachNodesMonitorListsThePagesThatNodeHolds() {
        browser.driver().get(baseA() + "/monitor/");
        browser.await("await pagewire.ready; return true;");
        String monitor = browser.driver().getWindowHandle();
        String echoOnB = openEcho(baseB());
        String echoOnA = openEcho(baseA());
        browser.driver().switchTo().window(monitor);
        Wait.until("node A's echo page on node A's monitor", 10, () -> listedIds().contains(echoOnA.substring(0, 8) + "…"));
        assertFalse(listedIds().contains(echoOnB.substring(0, 8) + "…"), "a page only node B holds");
        String summary = browser.driver().findElement(By.id("summary")).getText();
        assertTrue(summary.matches("Node [0-9a-f]{4} holds \\d+ pages, newest first\\."), summary);
        assertEquals(List.of(), browser.consoleErrors());
    }

    /** Opens the Echo sample in a new window; returns its page id. */
    private static String openEcho(String base) {
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        browser.driver().get(base + "/echo/");
        return (String) browser.await("return await pagewire.ready;");
    }

    /** The (shortened) page ids the monitor in the current window lists. */
    @SuppressWarnings("unchecked")
    private static List<String> listedIds() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#rows tr')].map((tr) => tr.cells[0].textContent);");
    }
}
