package dev.pagewire.samples;

import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.util.List;
import org.openqa.selenium.By;

/** The Chat sample's page as tests see it, in the browser's current window. */
final class ChatPage {
    private final Browser browser;

    ChatPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens {@code base}'s chat and joins the lobby as {@code name}. */
    void join(String base, String name) {
        open(base, name);
        Wait.until(name + " in the room", 10, () -> browser.driver().findElement(By.id("room-view")).isDisplayed());
    }

    /** Opens {@code base}'s chat and asks to join the lobby as {@code name}, without waiting. */
    void open(String base, String name) {
        browser.driver().get(base + "/chat/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.id("name")).sendKeys(name);
        browser.driver().findElement(By.cssSelector("#join button")).click();
    }

    /** The member list, by name. */
    List<String> members() {
        return browser.driver().findElements(By.cssSelector("#members li")).stream().map(e -> e.getAttribute("data-name")).toList();
    }

    /** The messages shown, as the page writes them. */
    List<String> messages() {
        return browser.driver().findElements(By.cssSelector("#messages li")).stream().map(e -> e.getText()).toList();
    }

    /** Whether a message shown ends with {@code text}. */
    boolean shows(String text) {
        return messages().stream().anyMatch(m -> m.endsWith(text));
    }

    /** Sends {@code text} to the room, or to the member chosen by clicking their name. */
    void say(String text) {
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#say button")).click();
    }

    /** Chooses {@code name} as the one the next message is whispered to. */
    void whisperTo(String name) {
        browser.driver().findElement(By.cssSelector("#members li[data-name=" + name + "]")).click();
    }
}
