package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated scripts and the debug page, over real HTTP. */
class ScriptsIntegrationTest {
    enum Status { OPEN, CLOSED }

    record Ticket(String title, Status status, List<String> tags, Instant opened, Optional<Ticket> parent) {
    }

    @RemoteProxy(name = "Tickets")
    public static class TicketService {
        @RemoteMethod
        public Ticket open(String title, Instant when) {
            return new Ticket(title, Status.OPEN, List.of(), when, Optional.empty());
        }

        @RemoteMethod
        public Map<String, List<Ticket>> byTag() {
            return Map.of();
        }

        @RemoteMethod
        public void close(Ticket ticket, jakarta.servlet.http.HttpServletRequest request) {
        }

        @RemoteMethod
        public BigDecimal price(long id, int... extra) {
            return BigDecimal.ONE;
        }
    }

    private static PagewireServer server;
    private static PageClient client;

    @BeforeAll
    static void start() {
        server = PagewireServer.create(Pagewire.builder().expose(TicketService.class).debug(true).build()).start(0);
        client = new PageClient(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void classicProxyDefinesTheGlobalWithArities() {
        PageClient.Reply r = client.get("/interface/Tickets.js", Map.of());
        assertEquals(200, r.status());
        assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(r.body().contains("globalThis.Tickets = globalThis.pagewire.proxy(\"Tickets\", "
                + "{\"byTag\":[0],\"close\":[1],\"open\":[2],\"price\":[2]})"), r.body());
        assertTrue(r.body().contains("Tickets.open(title, when)"), "parameter names, compiled with -parameters");
    }

    @Test
    void moduleProxyImportsTheEngineModule() {
        String body = client.get("/interface/Tickets.mjs", Map.of()).body();
        assertTrue(body.contains("import pagewire from \"../engine.mjs\";"), body);
        assertTrue(body.contains("export const Tickets = pagewire.proxy(\"Tickets\""), body);
        assertTrue(body.contains("export default Tickets;"), body);
    }

    @Test
    void typeScriptDeclarationsFollowTheJavaSignatures() {
        String dts = client.get("/interface/Tickets.d.ts", Map.of()).body();
        assertTrue(dts.contains("export interface Ticket {\n  title: string;\n  status: \"OPEN\" | \"CLOSED\";\n"
                + "  tags: string[];\n  opened: string;\n  parent: Ticket | null;\n}"), dts);
        assertTrue(dts.contains("open(title: string, when: string | number | Date, options?: CallOptions<Ticket>"
                + " | ((result: Ticket) => void)): Promise<Ticket>;"), dts);
        assertTrue(dts.contains("byTag(options?: CallOptions<Record<string, Ticket[]>>"), dts);
        assertTrue(dts.contains("close(ticket: Ticket, options?: CallOptions<void>"), "the request is injected: " + dts);
        assertTrue(dts.contains("price(id: number, extra: number[], options?"), dts);
    }

    /**
     * Type-checks a small TypeScript usage file against the served declarations with the
     * project's pinned TypeScript ({@code cd js-client && npm ci}; CI installs it). Without it,
     * {@link #typeScriptDeclarationsFollowTheJavaSignatures()} still checks the text.
     */
    @Test
    void declarationsTypeCheckWithTsc(@TempDir Path dir) throws Exception {
        Path tsc = Path.of("js-client/node_modules/typescript/bin/tsc").toAbsolutePath();
        if (!Files.exists(tsc)) {
            System.err.println("tsc not installed (cd js-client && npm ci): .d.ts checked as text only");
            return;
        }
        Files.writeString(dir.resolve("Tickets.d.ts"), client.get("/interface/Tickets.d.ts", Map.of()).body());
        Files.writeString(dir.resolve("usage.ts"), """
                import { Tickets, Ticket } from "./Tickets";
                async function use(): Promise<string> {
                  const t: Ticket = await Tickets.open("printer on fire", new Date());
                  Tickets.open("x", 1700000000000, { timeout: 500, errorHandler: (m, e) => console.log(m, e.code) });
                  Tickets.byTag((byTag) => byTag["urgent"].map((x) => x.status === "OPEN"));
                  await Tickets.close(t);
                  const price: string = await Tickets.price(1, [2, 3]);
                  // @ts-expect-error: a title is a string
                  Tickets.open(42, new Date());
                  // @ts-expect-error: status is "OPEN" | "CLOSED"
                  const wrong: Ticket = { ...t, status: "PENDING" };
                  return t.title + price + (t.parent?.title ?? "") + wrong.title;
                }
                window.Tickets.byTag();
                export { use };
                """);
        Process p = new ProcessBuilder("node", tsc.toString(), "--strict", "--noEmit", "--target", "es2020",
                "--lib", "es2020,dom", "--moduleResolution", "node", "usage.ts")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }

    @Test
    void enginesKnowTheirMountAndStartOnce() {
        String classic = client.get("/engine.js", Map.of()).body();
        assertTrue(classic.contains("function createPagewire("), "the engine from js-client is inside");
        assertTrue(classic.contains("createPagewire({ base: \"/pagewire\" })"), classic.substring(classic.length() - 300));
        String module = client.get("/engine.mjs", Map.of()).body();
        assertTrue(module.endsWith("export default globalThis.pagewire;\n"));
    }

    @Test
    void scriptsRevalidateWithETags() {
        PageClient.Reply first = client.get("/interface/Tickets.js", Map.of());
        String etag = first.raw().headers().firstValue("ETag").orElseThrow();
        assertEquals("no-cache", first.raw().headers().firstValue("Cache-Control").orElse(""));
        PageClient.Reply again = client.get("/interface/Tickets.js", Map.of("If-None-Match", etag));
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(200, client.get("/interface/Tickets.js", Map.of("If-None-Match", "\"other\"")).status());
        String engineTag = client.get("/engine.js", Map.of()).raw().headers().firstValue("ETag").orElseThrow();
        assertEquals(304, client.get("/engine.js", Map.of("If-None-Match", engineTag)).status());
    }

    @Test
    void pathTricksFindNothing() {
        for (String path : List.of("/interface/Nope.js", "/interface/Tickets.java",
                "/interface/Tickets.js/", "/interface/", "/interface/Tickets",
                "/interface/..%2fpagewire%2fengine.js", "/interface/Tickets.js%00")) {
            PageClient.Reply r = client.get(path, Map.of());
            assertTrue(r.status() == 404 || r.status() == 400, path + " -> " + r.status());
            assertFalse(r.body().contains("createPagewire"), path);
        }
    }

    @Test
    void debugPageListsProxiesAndMethodsWhenOn() {
        PageClient.Reply r = client.get("/", Map.of());
        assertEquals(200, r.status());
        String html = r.body();
        assertTrue(html.contains("<script src=\"/pagewire/interface/Tickets.js\"></script>"), html);
        assertTrue(html.contains("data-proxy=\"Tickets\" data-method=\"open\""), html);
        assertTrue(html.contains("java.util.Map&lt;java.lang.String"), "generic types are escaped");
    }
}
