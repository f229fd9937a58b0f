package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/** The Notes sample in three Chromium windows at once. */
class NotesBrowserTest extends SamplesFixture {
    /** One blank window left, so the next test starts with this browser's held requests free. */
    @AfterEach
    void closeWindows() {
        browser.leaveOneBlankWindow();
    }

    private List<String> notes() {
        return browser.driver().findElements(By.cssSelector("#notes li")).stream().map(e -> e.getText()).toList();
    }

    private void openWindow(String mode) {
        browser.driver().get(base + "/notes/");
        browser.await("await pagewire.ready; return true;");
        browser.driver().findElement(By.cssSelector("[data-mode=" + mode + "]")).click();
        Wait.until(mode + " chosen", 10, () -> mode.equals(browser.js("return pagewire.modeChoice;"))
                && "true".equals(browser.driver().findElement(By.cssSelector("[data-mode=" + mode + "]"))
                .getAttribute("aria-pressed")));
    }

    @Test
    void aNoteSentFromOneWindowAppearsInAllFourAndPassiveWindowsWaitForACall() {
        List<String> windows = new ArrayList<>();
        for (String mode : List.of("sse", "comet", "websocket", "polling")) {
            if (!windows.isEmpty()) {
                browser.driver().switchTo().newWindow(WindowType.WINDOW);
            }
            openWindow(mode);
            windows.add(browser.driver().getWindowHandle());
        }
        // Send from the polling window; every window shows the note without reloading.
        browser.driver().findElement(By.id("text")).sendKeys("<b>hello</b> from three");
        browser.driver().findElement(By.cssSelector("#form button")).click();
        for (String w : windows) {
            browser.driver().switchTo().window(w);
            Wait.until("the note in every window", 15, () -> notes().equals(List.of("<b>hello</b> from three")));
        }
        assertEquals(List.of(), browser.consoleErrors());

        // The last window turns passive: the next note waits until it checks.
        browser.driver().findElement(By.cssSelector("[data-mode=passive]")).click();
        browser.driver().switchTo().window(windows.get(0));
        browser.driver().findElement(By.id("text")).sendKeys("second");
        browser.driver().findElement(By.cssSelector("#form button")).click();
        Wait.until("the note where it was sent", 15, () -> notes().size() == 2);
        browser.driver().switchTo().window(windows.get(3));
        assertEquals(1, notes().size(), "a passive window receives nothing on its own");
        browser.driver().findElement(By.id("check")).click();
        Wait.until("the note after checking", 15, () -> notes().equals(List.of("second", "<b>hello</b> from three")));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aWindowStartsOnAutoAndShowsTheModeItChoseAndWhy() {
        browser.driver().get(base + "/notes/");
        browser.await("await pagewire.ready; return true;");
        Wait.until("auto pressed, websocket in use", 10, () -> "true".equals(browser.driver()
                .findElement(By.cssSelector("[data-mode=auto]")).getAttribute("aria-pressed"))
                && browser.driver().findElement(By.id("actual")).getText().equals("Now: websocket (the best that works here)"));
        openWindow("sse");
        browser.driver().findElement(By.cssSelector("[data-mode=auto]")).click();
        Wait.until("back on auto", 10, () -> "websocket".equals(browser.js("return pagewire.mode;"))
                && "auto".equals(browser.js("return pagewire.modeChoice;")));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void anEmptyNoteIsRefusedWithTheServersMessage() {
        openWindow("comet");
        browser.driver().findElement(By.cssSelector("#form button")).click();
        Wait.until("the refusal", 10, () -> browser.driver().findElement(By.id("error")).getText()
                .equals("A note has 1 to 500 characters."));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
