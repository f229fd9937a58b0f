package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/** The Chat sample with two members in two Chromium windows. */
class ChatBrowserTest extends SamplesFixture {
    private void join(String name) {
        browser.driver().get(base + "/chat/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.id("name")).sendKeys(name);
        browser.driver().findElement(By.cssSelector("#join button")).click();
        Wait.until(name + " in the room", 10, () -> browser.driver().findElement(By.id("room-view")).isDisplayed());
    }

    private List<String> members() {
        return browser.driver().findElements(By.cssSelector("#members li")).stream().map(e -> e.getAttribute("data-name")).toList();
    }

    private List<String> messages() {
        return browser.driver().findElements(By.cssSelector("#messages li")).stream().map(e -> e.getText()).toList();
    }

    private void say(String text) {
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#say button")).click();
    }

    @Test
    void twoMembersTalkWhisperAndSeeEachOtherLeave() {
        join("ann");
        String ann = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        join("bob");
        String bob = browser.driver().getWindowHandle();
        Wait.until("bob sees both members", 10, () -> members().equals(List.of("ann", "bob")));

        browser.driver().switchTo().window(ann);
        Wait.until("ann sees bob join", 10, () -> members().equals(List.of("ann", "bob"))
                && messages().contains("bob joined"));
        say("hello room");
        browser.driver().switchTo().window(bob);
        Wait.until("bob gets ann's message", 10, () -> messages().stream().anyMatch(m -> m.endsWith("ann: hello room")));

        // bob whispers to ann: only ann (and bob's own copy) see it.
        browser.driver().findElement(By.cssSelector("#members li[data-name=ann]")).click();
        say("just for you");
        Wait.until("bob's copy of the whisper", 10, () -> messages().stream()
                .anyMatch(m -> m.endsWith("bob → ann (private): just for you")));
        browser.driver().switchTo().window(ann);
        Wait.until("ann gets the whisper", 10, () -> messages().stream()
                .anyMatch(m -> m.endsWith("bob → ann (private): just for you")));
        assertTrue(browser.driver().findElements(By.cssSelector("#messages li.private")).size() == 1);
        assertEquals(List.of(), browser.consoleErrors());

        // bob closes his window: his page session ends, and ann's member list loses him.
        browser.driver().switchTo().window(bob).close();
        browser.driver().switchTo().window(ann);
        Wait.until("bob removed", 15, () -> members().equals(List.of("ann")) && messages().contains("bob left"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aTakenNameIsRefusedClearly() {
        join("carol");
        browser.driver().switchTo().newWindow(WindowType.WINDOW);
        browser.driver().get(base + "/chat/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.id("name")).sendKeys("carol");
        browser.driver().findElement(By.cssSelector("#join button")).click();
        Wait.until("the refusal", 10, () -> browser.driver().findElement(By.id("error")).getText()
                .equals("carol is already in lobby: pick another name"));
        browser.driver().close();
        browser.driver().switchTo().window(browser.driver().getWindowHandles().iterator().next());
        assertEquals(List.of(), browser.consoleErrors());
    }
}
