package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.ProbePage;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.WindowType;

/**
 * Topics in real Chromium, once per active delivery mode: one page subscribes with a wildcard,
 * another page publishes, the first receives; a publish no rule allows rejects with FORBIDDEN.
 */
class TopicsBrowserTest {
    /** What pages publish on the chat topics. */
    public record Line(String text) {
    }

    @TempDir
    static Path web;
    private static Pagewire pagewire;
    private static PagewireServer server;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        ProbePage.writeTo(web);
        pagewire = Pagewire.builder().expose(new ReverseAjaxBrowserTest.Probe())
                .pollInterval(Duration.ofMillis(200))
                .topic(TopicRule.on("/chat/*").subscribe(TopicAccess.anyone()).publish(TopicAccess.anyone(), Line.class))
                .topic(TopicRule.on("/news/*").subscribe(TopicAccess.anyone()))
                .build();
        server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        browser = new Browser();
    }

    @AfterEach
    void blank() {
        browser.leaveOneBlankWindow();
    }

    /** Ends the pages (and their sockets) with the server, leaving nothing behind for the next test class. */
    @AfterAll
    static void stop() {
        server.stop();
        pagewire.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"POLLING", "COMET", "SSE", "WEBSOCKET"})
    void aWildcardSubscriberGetsWhatAnotherPagePublishes(DeliveryMode mode) {
        String url = "http://localhost:" + server.port() + "/push/";
        String name = mode.name().toLowerCase(Locale.ROOT);
        browser.driver().get(url);
        String subscriber = browser.driver().getWindowHandle();
        assertEquals(name, browser.await("await pagewire.ready; window.got = [];"
                + "const sub = pagewire.subscribe('/chat/*', (data, info) => got.push(info.topic + ' ' + data.text));"
                + "await sub.ready; return pagewire.reverseAjax(arguments[0]);", name));

        browser.driver().switchTo().newWindow(WindowType.TAB);
        browser.driver().get(url);
        assertEquals("sent", browser.await("await pagewire.ready;"
                + "await pagewire.publish('/chat/lobby', {text: 'hi'}); return 'sent';"));
        assertEquals("FORBIDDEN cannot publish on /news/today: the topic rule allows it to no page",
                browser.await("try { await pagewire.publish('/news/today', {text: 'no'}); return 'sent'; }"
                        + " catch (e) { return e.code + ' ' + e.message; }"));

        browser.driver().switchTo().window(subscriber);
        Wait.until("the subscriber receives the publish", 20,
                () -> !((List<?>) browser.js("return window.got;")).isEmpty());
        assertEquals(List.of("/chat/lobby hi"), browser.js("return window.got;"));
        assertEquals(name, browser.js("return pagewire.mode;"));
    }
}
