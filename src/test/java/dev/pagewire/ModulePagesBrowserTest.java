package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Pages served by {@code PagewireServer} in real Chromium: written as ES modules, and what the
 * generated proxies say in debug mode.
 */
class ModulePagesBrowserTest {
    @RemoteProxy
    public static class Greeter {
        @RemoteMethod
        public String greet(String name) {
            return "Hello, " + name;
        }
    }

    @TempDir
    static Path web;
    @AutoClose("stop")
    private static PagewireServer server;
    @AutoClose
    private static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        Files.writeString(web.resolve("index.html"), """
                <!doctype html>
                <meta charset="utf-8">
                <link rel="icon" href="data:,">
                <p id="out">loading</p>
                <script type="module" src="app.js"></script>
                """);
        Files.writeString(web.resolve("app.js"), """
                import pagewire from "/pagewire/engine.mjs";
                import { Greeter } from "/pagewire/interface/Greeter.mjs";
                pagewire.setTimeout(5000);
                document.getElementById("out").textContent = await Greeter.greet("Ada");
                """);
        Files.writeString(web.resolve("classic.html"), """
                <!doctype html>
                <meta charset="utf-8">
                <link rel="icon" href="data:,">
                <script src="/pagewire/engine.js"></script>
                <script src="/pagewire/interface/Greeter.js"></script>
                """);
        server = PagewireServer.create(Pagewire.builder().expose(Greeter.class).debug(true).build())
                .staticFiles(web).start(0);
        browser = new Browser();
    }

    @AfterEach
    void noErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aModuleNamedJsLoadsAndCalls() {
        browser.driver().get("http://localhost:" + server.port() + "/");
        Wait.until("the module's call", 10,
                () -> browser.driver().findElement(By.id("out")).getText().equals("Hello, Ada"));
    }

    private static final String ADVICE = "TypeError: Greeter.greeet is not exposed: mark it @RemoteMethod"
            + " (a public method of Greeter) and restart the server. Exposed: greet";

    @Test
    void inDebugModeAMethodThatIsNotExposedSaysHowToExposeIt() {
        browser.driver().get("http://localhost:" + server.port() + "/classic.html");
        assertEquals(ADVICE, browser.await("""
                try { Greeter.greeet("Ada"); return "no error"; } catch (e) { return e.name + ": " + e.message; }
                """), "a classic script");
        assertEquals(ADVICE, browser.await("""
                const { Greeter } = await import("/pagewire/interface/Greeter.mjs");
                try { Greeter.greeet("Ada"); return "no error"; } catch (e) { return e.name + ": " + e.message; }
                """), "a module");
        assertEquals("Hello, Ada|{}", browser.await("""
                const same = await Promise.resolve(Greeter);   // awaiting looks for "then"
                return await same.greet("Ada") + "|" + JSON.stringify(Greeter);
                """), "exposed methods work; a proxy can be awaited and serialised");
    }
}
