package dev.pagewire.samples;

import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * Makes {@code docs/images/ticker.png}, the README's picture of the Ticker sample, in headless
 * Chromium. From the project directory:
 *
 * <pre>
 * mvn -q test-compile exec:java -Dsamples.main=dev.pagewire.samples.ReadmeScreenshot
 * </pre>
 */
public final class ReadmeScreenshot {
    private static final Path OUTPUT = Path.of("docs/images/ticker.png");
    private static final int WIDTH = 1200;

    private ReadmeScreenshot() {
    }

    public static void main(String[] args) throws IOException {
        SamplesServer server = SamplesServer.start(0);
        try (Browser browser = new Browser()) {
            browser.driver().manage().window().setSize(new Dimension(WIDTH, 900));
            browser.driver().get("http://localhost:" + server.port() + "/ticker/");
            TickerPage page = new TickerPage(browser);
            for (String mode : TickerPage.ACTIVE_MODES) {
                Wait.until(mode + " updates", 30, () -> page.updates(mode) >= 40);
            }
            page.makeCall();
            Wait.until("the passive frame's burst", 10, () -> !page.text("passive", "burst").isEmpty());
            fitWindowToPage(browser);
            Files.createDirectories(OUTPUT.getParent());
            Files.write(OUTPUT, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));
            System.out.println("Wrote " + OUTPUT.toAbsolutePath());
        } finally {
            server.stop();
        }
    }

    /** Makes the window just tall enough for the whole page, so the picture has no scrollbar. */
    private static void fitWindowToPage(Browser browser) {
        long missing = (Long) browser.js("return document.documentElement.scrollHeight - window.innerHeight;");
        Dimension size = browser.driver().manage().window().getSize();
        browser.driver().manage().window().setSize(new Dimension(WIDTH, size.getHeight() + (int) missing));
    }
}
