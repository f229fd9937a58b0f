package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.Wait;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The Echo sample in real Chromium against the real samples server. */
class EchoBrowserTest extends SamplesFixture {
    @BeforeEach
    void open() {
        browser.driver().get(base + "/echo/");
        browser.consoleErrors();
        assertEquals(true, browser.await("await pagewire.ready; return true;"));
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void callResolvesAndThePageShowsIt() {
        assertEquals("hi there", browser.await("return await Echo.echo('hi there');"));
        browser.driver().findElement(By.id("text")).clear();
        browser.driver().findElement(By.id("text")).sendKeys("from the form");
        browser.driver().findElement(By.id("echo")).click();
        Wait.until("the echo in the log", 10, () -> browser.driver().findElement(By.id("log")).getText()
                .contains("echo: from the form"));
    }

    @Test
    void threeCallsInOneTaskTravelAsOneRequest() {
        Object result = browser.await("""
                const count = () => performance.getEntriesByType('resource')
                    .filter((e) => e.name.endsWith('/pagewire/call')).length;
                const before = count();
                const results = await Promise.all([Echo.echo('a'), Echo.echo('b'), Echo.echo('c')]);
                await new Promise((r) => setTimeout(r, 50)); // let the resource entry be recorded
                return {results, requests: count() - before};
                """);
        assertEquals(Map.of("results", List.of("a", "b", "c"), "requests", 1L), result);
    }

    @Test
    void explicitBatchGroupsCalls() {
        Object result = browser.await("""
                const count = () => performance.getEntriesByType('resource')
                    .filter((e) => e.name.endsWith('/pagewire/call')).length;
                const before = count();
                const results = await pagewire.batch(() => { Echo.echo('x'); Echo.echo('y'); });
                await new Promise((r) => setTimeout(r, 50));
                return {results, requests: count() - before};
                """);
        assertEquals(Map.of("results", List.of("x", "y"), "requests", 1L), result);
    }

    @Test
    void optionsObjectAndTrailingCallbackWork() {
        assertEquals("cb:one", browser.await(
                "return await new Promise((resolve) => Echo.echo('one', (r) => resolve('cb:' + r)));"));
        assertEquals("opt:two", browser.await(
                "return await new Promise((resolve) => Echo.echo('two', {callback: (r) => resolve('opt:' + r)}));"));
    }

    @Test
    void clientVisibleExceptionRejectsWithItsMessage() {
        assertEquals(Map.of("error", "EchoException: no luck", "code", "EXCEPTION"),
                browser.await("return await Echo.fail('no luck');"));
        // The page's own Fail button routes it to an exceptionHandler.
        browser.driver().findElement(By.id("text")).clear();
        browser.driver().findElement(By.id("text")).sendKeys("shown to the user");
        browser.driver().findElement(By.id("fail")).click();
        Wait.until("the exception in the log", 10, () -> browser.driver().findElement(By.cssSelector("#log li.error"))
                .getText().equals("EchoException: shown to the user"));
    }

    @Test
    void perCallAndGlobalTimeoutsFire() {
        Object perCall = browser.await("return await Echo.delay('late', 5000, {timeout: 200});");
        assertTrue(((Map<?, ?>) perCall).get("error").toString().startsWith("TimeoutError"), perCall.toString());
        Object global = browser.await("""
                pagewire.setTimeout(200);
                try { return await Echo.delay('late', 5000); } finally { pagewire.setTimeout(0); }
                """);
        assertTrue(((Map<?, ?>) global).get("error").toString().startsWith("TimeoutError"), global.toString());
        assertEquals("on time", browser.await("return await Echo.delay('on time', 10, {timeout: 5000});"));
    }

    @Test
    void theSlowCallButtonsShowADelayedEchoAndATimeout() {
        browser.driver().findElement(By.id("slow")).click();
        browser.driver().findElement(By.id("late")).click();
        Wait.until("the delayed echo and the timeout in the page", 10, () -> {
            String shown = browser.driver().findElement(By.id("slow-log")).getText();
            return shown.contains("after 1 s: Hello, Pagewire") && shown.contains("TimeoutError");
        });
        assertFalse(browser.driver().findElement(By.id("slow-log")).getText().contains("unexpected"));
    }

    @Test
    void aBatchOfDelaysWaitsForTheLongestNotTheirSum() {
        // 100 delays of 2 s in one request: 200 s one after another, about 2 s side by side.
        Object results = browser.await("""
                const calls = Array.from({length: 100}, (_, i) => Echo.delay('d' + i, 2000));
                const results = await Promise.all(calls);
                return results.every((r, i) => r === 'd' + i) ? results.length : results;
                """);
        assertEquals(100L, results);
    }

    @Test
    void aBurstOfTooLongATextIsRefusedWithAMessage() {
        Object refused = browser.await("return await Echo.burst('x'.repeat(1_000_000), 1);");
        assertEquals(Map.of("error", "EchoException: Echo.burst takes at most 1000 characters, got 1000000",
                "code", "EXCEPTION"), refused);
        browser.driver().findElement(By.id("burst")).click();
        Wait.until("50 echoes", 10, () -> browser.driver().findElement(By.id("echo-count")).getText().equals("50"));
    }

    @Test
    void errorHandlersAndEventsSeeFailures() {
        Object seen = browser.await("""
                const events = [];
                pagewire.on('error', (e) => events.push('event:' + e.code));
                pagewire.setErrorHandler((message) => events.push('global:' + message));
                await Echo.fail('boom').catch(() => {});
                await new Promise((resolve) => Echo.fail('handled', {errorHandler: (m) => { events.push('call:' + m); resolve(); }}));
                pagewire.setErrorHandler(null);
                return events.sort();
                """);
        assertEquals(List.of("call:handled", "event:EXCEPTION", "event:EXCEPTION", "global:boom"), seen);
    }

    @Test
    void fiftyEchoesArePushedToThisPageAndCounted() {
        browser.driver().findElement(By.id("burst")).click();
        Wait.until("50 echoes", 10, () -> browser.driver().findElement(By.id("echo-count")).getText().equals("50"));
        browser.driver().findElement(By.id("burst")).click();
        Wait.until("100 echoes", 10, () -> browser.driver().findElement(By.id("echo-count")).getText().equals("100"));
    }

    @Test
    void debugPageFormCallsTheMethodAndShowsJson() {
        browser.driver().get(base + "/pagewire/");
        var form = browser.driver().findElement(By.cssSelector("form[data-proxy=Echo][data-method=echo]"));
        form.findElement(By.tagName("textarea")).sendKeys("\"from the debug page\"");
        form.findElement(By.tagName("button")).click();
        Wait.until("the JSON result", 10, () -> form.findElement(By.cssSelector(".out")).getText()
                .equals("\"from the debug page\""));
        var fail = browser.driver().findElement(By.cssSelector("form[data-proxy=Echo][data-method=fail]"));
        fail.findElement(By.tagName("textarea")).sendKeys("\"nope\"");
        fail.findElement(By.tagName("button")).click();
        Wait.until("the error", 10, () -> fail.findElement(By.cssSelector(".out.err")).getText()
                .equals("EchoException: nope [EXCEPTION]"));
    }

    @Test
    void moduleScriptsWork() {
        browser.driver().get(base + "/echo/module.html");
        browser.driver().findElement(By.cssSelector("button")).click();
        Wait.until("the module page's echo", 10, () -> browser.driver().findElement(By.id("log")).getText()
                .contains("echo: Hello, modules"));
        assertEquals("same engine", browser.await("""
                const m = await import('/pagewire/engine.mjs');
                return m.default === window.pagewire ? 'same engine' : 'two engines';
                """));
    }
}
