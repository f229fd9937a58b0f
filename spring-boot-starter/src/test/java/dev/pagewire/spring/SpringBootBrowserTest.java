package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.Pages;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Spring Boot application in real Chromium: a user logs in through Spring Security's form,
 * opens the board in two tabs, calls both exposed beans and receives pushes, from another tab's
 * call and from the injected {@link Pages}, over SSE.
 */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "pagewire.delivery-mode=sse")
class SpringBootBrowserTest {
    private static Browser browser;

    @LocalServerPort
    int port;

    @Autowired
    Pages pages;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }

    private void logIn(String user, String password) {
        browser.driver().get("http://localhost:" + port + "/login");
        browser.driver().findElement(By.id("username")).sendKeys(user);
        browser.driver().findElement(By.id("password")).sendKeys(password);
        browser.driver().findElement(By.cssSelector("button[type=submit]")).click();
        Wait.until("the login", 10, () -> !browser.driver().getCurrentUrl().contains("/login"));
        browser.consoleErrors(); // Spring Security's pages are not under test (it sends the user to /, a 404 here)
    }

    private void openBoard() {
        browser.driver().get("http://localhost:" + port + "/board/index.html");
        assertEquals(String.class, browser.await("return await pagewire.ready;").getClass(), "the page id");
        assertEquals("sse", browser.js("return pagewire.mode;"));
    }

    @SuppressWarnings("unchecked")
    private List<String> posts() {
        return (List<String>) browser.js(
                "return Array.from(document.querySelectorAll('#posts li'), (li) => li.textContent);");
    }

    @Test
    void aLoggedInUserCallsBothBeansAndReceivesPushes() {
        logIn("ann", "ann-secret");
        openBoard();
        String first = browser.driver().getWindowHandle();
        browser.driver().switchTo().newWindow(WindowType.TAB);
        openBoard();

        assertEquals(1L, browser.await("return await Board.post('hello');"));
        assertEquals(1L, browser.await("return await Basket.add('apple');"));
        browser.driver().switchTo().window(first);
        Wait.until("the post pushed to the other tab", 15, () -> posts().contains("ann: hello"));
        assertEquals(2L, browser.await("return await Basket.add('pear');"), "one basket per HTTP session");

        pages.forPath("/board/").call("board.show", "from the server");
        Wait.until("the push from the Pages bean", 15, () -> posts().contains("from the server"));
        assertEquals(1L, browser.await("return await Board.clear();"), "ann has the role ADMIN");
        assertEquals(List.of(), browser.consoleErrors());
    }
}
