package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.Browser;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JavaScript engine as the npm package {@code pagewire}, as a front-end project uses it:
 * {@code npm pack}, the tarball installed into a new project, its generated proxies fetched with
 * the package's {@code pagewire-proxies}, the app type-checked with {@code tsc --strict} and
 * bundled with esbuild, then run in Chromium against a real server. Needs Node.js and
 * {@code cd js-client && npm ci} (TypeScript and esbuild).
 */
class NpmPackageBrowserTest {
    private static final Path CLIENT = Path.of("js-client").toAbsolutePath();

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    private static String tool(String name) {
        Path bin = CLIENT.resolve("node_modules/.bin/" + name);
        assertTrue(Files.isExecutable(bin), name + " is missing: cd js-client && npm ci");
        return bin.toString();
    }

    @Test
    void aBundledPageImportsTheEngineAndItsProxiesFromThePackage(@TempDir Path dir) throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Pagewire pagewire = Pagewire.builder().expose(new Ping()).deliveryMode(DeliveryMode.SSE).build();
        PagewireServer server = PagewireServer.create(pagewire).staticFiles(web).start(0);
        try (Browser browser = new Browser()) {
            Path packs = Files.createDirectories(dir.resolve("packs"));
            run(CLIENT, "npm", "pack", "--silent", "--pack-destination", packs.toString());
            List<Path> tarballs;
            try (Stream<Path> files = Files.list(packs)) {
                tarballs = new ArrayList<>(files.toList());
            }
            assertEquals(1, tarballs.size(), "one tarball: " + tarballs);
            assertTrue(tarballs.get(0).getFileName().toString().startsWith("pagewire-"), tarballs.toString());

            Path app = Files.createDirectories(dir.resolve("app"));
            Files.writeString(app.resolve("package.json"), "{\"name\": \"app\", \"private\": true, \"type\": \"module\"}\n");
            run(app, "npm", "install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarballs.get(0).toString());
            run(app, "node", "node_modules/.bin/pagewire-proxies", "http://localhost:" + server.port() + "/pagewire",
                    "proxies", "Ping");
            Files.writeString(app.resolve("main.mts"), """
                    import { connect, type Pagewire } from "pagewire";
                    import { Ping } from "./proxies/Ping.mjs";

                    const pw: Pagewire = connect("/pagewire");
                    const received: string[] = [];
                    pw.expose("ui", { show(value: string) { received.push(value); } });
                    const page = window as unknown as Record<string, unknown>;
                    page.received = received;
                    page.ping = (): Promise<string> => Ping.ping();
                    page.ready = pw.ready;
                    """);
            run(app, tool("tsc"), "--strict", "--noEmit", "--module", "esnext", "--moduleResolution", "bundler",
                    "--target", "es2022", "--lib", "es2022,dom", "main.mts");
            run(app, tool("esbuild"), "main.mts", "--bundle", "--format=esm", "--outfile=" + web.resolve("app.js"));
            Files.writeString(web.resolve("index.html"), """
                    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>bundled</title>
                    <link rel="icon" href="data:,"><script type="module" src="app.js"></script></head><body></body></html>
                    """);

            browser.driver().get("http://localhost:" + server.port() + "/");
            Wait.until("the bundle ran (console: " + browser.consoleErrors() + ")", 15,
                    () -> Boolean.TRUE.equals(browser.js("return Boolean(window.ready);")));
            String id = (String) browser.await("return await window.ready;");
            assertEquals("pong", browser.await("return await window.ping();"), "a generated proxy from the package");
            var page = pagewire.pageRegistry.find(id);
            Wait.until("the page's stream", 10, () -> page.queue().waiter() != null);
            pagewire.pages().all().call("ui.show", "pushed");
            Wait.until("the push in the bundled page", 15, () -> List.of("pushed").equals(browser.js("return window.received;")));
            assertEquals(List.of(), browser.consoleErrors());
        } finally {
            server.stop();
        }
    }
}
