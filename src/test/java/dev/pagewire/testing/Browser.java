package dev.pagewire.testing;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its chromedriver; nothing is downloaded. Start one
 * per test class (a launch costs about a second on two cores).
 */
public final class Browser implements AutoCloseable {
    private final ChromeDriver driver;

    public Browser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--window-size=1200,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Runs {@code script} in the page; {@code arguments} are its arguments. */
    public Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * Runs an async function body in the page and returns what it returns (or throws what it
     * throws, as {@code {error: name + ": " + message}}).
     */
    public Object await(String asyncBody, Object... arguments) {
        String script = "const done = arguments[arguments.length - 1];"
                + "(async (...arguments) => {" + asyncBody + "})(...Array.from(arguments).slice(0, -1))"
                + ".then((v) => done(v === undefined ? null : v),"
                + " (e) => done({error: (e && e.name) + ': ' + (e && e.message), code: e && e.code}));";
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    /** Console messages at level SEVERE (errors, uncaught exceptions) since the last call. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /**
     * Takes the browser's network away ({@code false}) or gives it back ({@code true}), as when a
     * laptop leaves its Wi-Fi: chromedriver's network emulation ({@code POST
     * /session/{id}/chromium/network_conditions}, CDP {@code Network.emulateNetworkConditions}).
     * Offline, the page gets its {@code offline} event, {@code navigator.onLine} is false and its
     * requests fail; online again, the {@code online} event, and requests go through. It applies to
     * the current window; a test that goes offline goes online again before it ends.
     */
    public void network(boolean online) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(!online);
        driver.setNetworkConditions(conditions);
    }

    /** Closes every window but the first and blanks it: the next test starts with no page held open. */
    public void leaveOneBlankWindow() {
        List<String> handles = List.copyOf(driver.getWindowHandles());
        for (int i = 1; i < handles.size(); i++) {
            driver.switchTo().window(handles.get(i)).close();
        }
        driver.switchTo().window(handles.get(0)).get("about:blank");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
