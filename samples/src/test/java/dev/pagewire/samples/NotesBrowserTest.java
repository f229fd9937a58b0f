package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Page;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/** The Notes sample in several Chromium windows at once, and in ten tabs sharing one WebSocket. */
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
    void tenTabsShareOneConnectionAllShowTheNoteAndTheRestGoOnWhenTheLeaderCloses() {
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            if (i > 0) {
                browser.driver().switchTo().newWindow(WindowType.TAB);
            }
            openWindow("websocket");
            String role = i == 0 ? "leader" : "follower";
            Wait.until("tab " + i + " as " + role, 10, () -> role.equals(browser.js("return pagewire.tabRole;")));
            tabs.add(browser.driver().getWindowHandle());
        }
        Wait.until("one socket carrying the ten pages, and no held request", 15, () -> {
            List<Page> notes = server.pagewire().pages().forPath("/notes/").pages();
            return notes.size() == 10 && notes.stream().allMatch(p -> p.deliveryMode() == DeliveryMode.WEBSOCKET)
                    && notes.stream().filter(p -> p.carriedBy().isEmpty()).count() == 1
                    && server.pagewire().metrics().heldRequests() == 0;
        });
        for (String tab : tabs) { // when each tab shows its first note, in ms since the epoch
            browser.driver().switchTo().window(tab);
            browser.js("new MutationObserver((m, o) => { window.shownAt = performance.timeOrigin + performance.now();"
                    + " o.disconnect(); }).observe(document.getElementById('notes'), {childList: true});");
        }
        sendNote("to ten tabs");
        List<Double> shownAt = new ArrayList<>();
        for (String tab : tabs) {
            browser.driver().switchTo().window(tab);
            Wait.until("the note in every tab", 15, () -> notes().equals(List.of("to ten tabs")));
            shownAt.add(((Number) browser.js("return window.shownAt;")).doubleValue());
        }
        double spread = shownAt.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - shownAt.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        System.out.printf("NotesBrowserTest: ten tabs showed the note within %.1f ms of each other%n", spread);

        browser.driver().switchTo().window(tabs.remove(0)).close(); // the leader
        browser.driver().switchTo().window(tabs.get(0));
        Wait.until("another tab's socket carrying the nine pages left", 15, () -> {
            List<Page> notes = server.pagewire().pages().forPath("/notes/").pages();
            return notes.size() == 9 && notes.stream().filter(p -> p.carriedBy().isEmpty()).count() == 1;
        });
        sendNote("after the leader left");
        for (String tab : tabs) {
            browser.driver().switchTo().window(tab);
            Wait.until("the second note in the nine tabs left", 15,
                    () -> notes().equals(List.of("after the leader left", "to ten tabs")));
        }
        assertEquals(List.of(), browser.consoleErrors());
    }

    private void sendNote(String text) {
        browser.driver().findElement(By.id("text")).sendKeys(text);
        browser.driver().findElement(By.cssSelector("#form button")).click();
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
