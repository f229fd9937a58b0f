package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/** The Chat sample with two members in two Chromium windows: rooms are topics, members their presence. */
class ChatBrowserTest extends SamplesFixture {
    private final ChatPage chat = new ChatPage(browser);

    @Test
    void twoMembersTalkWhisperAndSeeEachOtherLeave() {
        chat.join(base, "ann");
        String ann = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        chat.join(base, "bob");
        String bob = browser.driver().getWindowHandle();
        Wait.until("bob sees both members", 10, () -> chat.members().equals(List.of("ann", "bob")));

        browser.driver().switchTo().window(ann);
        Wait.until("ann sees bob join", 10, () -> chat.members().equals(List.of("ann", "bob"))
                && chat.messages().contains("bob joined"));
        chat.say("hello room");
        browser.driver().switchTo().window(bob);
        Wait.until("bob gets ann's message", 10, () -> chat.shows("ann: hello room"));

        // bob whispers to ann: only ann (and bob's own copy) see it.
        chat.whisperTo("ann");
        chat.say("just for you");
        Wait.until("bob's copy of the whisper", 10, () -> chat.shows("bob → ann (private): just for you"));
        browser.driver().switchTo().window(ann);
        Wait.until("ann gets the whisper", 10, () -> chat.shows("bob → ann (private): just for you"));
        assertTrue(browser.driver().findElements(By.cssSelector("#messages li.private")).size() == 1);
        assertEquals(List.of(), browser.consoleErrors());

        // bob closes his window: his page session ends, and ann's member list loses him.
        browser.driver().switchTo().window(bob).close();
        browser.driver().switchTo().window(ann);
        Wait.until("bob removed", 15, () -> chat.members().equals(List.of("ann")) && chat.messages().contains("bob left"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void onlyMembersMayPublishOnARoomAndEmptyMessagesAreRefused() {
        chat.join(base, "dave");
        assertEquals("REFUSED publish on /chat/rooms/lobby refused: A message has 1 to 200 characters",
                browser.await("try { await pagewire.publish('/chat/rooms/lobby', {text: '  '}); return 'sent'; }"
                        + " catch (e) { return e.code + ' ' + e.message; }"));
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        browser.driver().get(base + "/chat/");
        assertEquals("FORBIDDEN cannot publish on /chat/rooms/lobby: only pages subscribed to it may",
                browser.await("await pagewire.ready;"
                        + "try { await pagewire.publish('/chat/rooms/lobby', {text: 'hi'}); return 'sent'; }"
                        + " catch (e) { return e.code + ' ' + e.message; }"), "a page that did not join");
        assertEquals("FORBIDDEN cannot subscribe /chat/rooms/lobby: not allowed for this page",
                browser.await("try { await pagewire.subscribe('/chat/rooms/lobby', () => {}).ready; return 'in'; }"
                        + " catch (e) { return e.code + ' ' + e.message; }"), "nor subscribe without joining");
        browser.driver().close();
        browser.driver().switchTo().window(browser.driver().getWindowHandles().iterator().next());
        Wait.until("dave alone in the room", 10, () -> chat.members().equals(List.of("dave")));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aTakenNameIsRefusedClearly() {
        chat.join(base, "carol");
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        chat.open(base, "carol");
        Wait.until("the refusal", 10, () -> browser.driver().findElement(By.id("error")).getText()
                .equals("carol is already in lobby: pick another name"));
        browser.driver().close();
        browser.driver().switchTo().window(browser.driver().getWindowHandles().iterator().next());
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aNameJoinedButNotYetSubscribedIsTakenUntilItsPageCloses() {
        String join = "try { return await Chat.join('lobby', 'erin'); } catch (e) { return e.message; }";
        browser.driver().get(base + "/chat/");
        browser.await("await pagewire.ready; return true;");
        assertEquals("/chat/rooms/lobby", browser.await(join), "the first page takes the name");
        String first = browser.driver().getWindowHandle();

        // The first page has not subscribed, so presence does not list it yet.
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        browser.driver().get(base + "/chat/");
        browser.await("await pagewire.ready; return true;");
        assertEquals("erin is already in lobby: pick another name", browser.await(join), "a second page at once");

        String second = browser.driver().getWindowHandle();
        browser.driver().switchTo().window(first).close();
        browser.driver().switchTo().window(second);
        Wait.until("the name free once the page that took it closed", 10,
                () -> "/chat/rooms/lobby".equals(browser.await(join)));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
