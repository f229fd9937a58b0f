package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
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

        @RemoteMethod
        public int attach(FileUpload file, List<FileUpload> more, String note) {
            return 1 + more.size();
        }

        @RemoteMethod
        public FileDownload report() {
            return FileDownload.of("r.txt", "text/plain", 0, java.io.InputStream::nullInputStream);
        }
    }

    /** What the server pushes to the ticket pages: {@code pagewire.expose("board", ...)}. */
    @PageInterface("board")
    public interface TicketBoard {
        void opened(Ticket ticket);

        void counts(Map<Status, Integer> byStatus, boolean final_);
    }

    private static Served server;
    private static PageClient client;

    @BeforeAll
    static void start() {
        server = Served.start(Pagewire.builder().expose(TicketService.class)
                .pageInterface(TicketBoard.class).debug(true).build());
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
        assertTrue(r.body().contains("globalThis.Tickets = adviseUnexposed(globalThis.pagewire.proxy(\"Tickets\", "
                + "{\"attach\":[3],\"byTag\":[0],\"close\":[1],\"open\":[2],\"price\":[2],\"report\":[0]}), \"Tickets\", \"TicketService\")"),
                "in debug mode: " + r.body());
        assertTrue(r.body().contains("Tickets.open(title, when)"), "parameter names, compiled with -parameters");
    }

    @Test
    void withoutDebugProxiesArePlainObjects() {
        Served plain = Served.start(Pagewire.builder().expose(TicketService.class).build());
        try {
            PageClient production = new PageClient(plain.port());
            String classic = production.get("/interface/Tickets.js", Map.of()).body();
            String module = production.get("/interface/Tickets.mjs", Map.of()).body();
            assertTrue(classic.contains("globalThis.Tickets = globalThis.pagewire.proxy(\"Tickets\", {"), classic);
            assertTrue(module.contains("export const Tickets = pagewire.proxy(\"Tickets\", {"), module);
            assertFalse(classic.contains("Proxy(") || module.contains("Proxy("), "no JavaScript Proxy in production");
        } finally {
            plain.stop();
        }
    }

    @Test
    void moduleProxyImportsTheEngineModule() {
        String body = client.get("/interface/Tickets.mjs", Map.of()).body();
        assertTrue(body.contains("import pagewire from \"../engine.mjs\";"), body);
        assertTrue(body.contains("export const Tickets = adviseUnexposed(pagewire.proxy(\"Tickets\""), body);
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
        assertTrue(dts.contains("attach(file: Blob, more: Blob[], note: string, options?: CallOptions<number>"), dts);
        assertTrue(dts.contains("report(options?: CallOptions<FileDownload> | ((result: FileDownload) => void)):"
                + " Promise<FileDownload>;"), dts);
        assertTrue(dts.contains("export interface FileDownload {\n  name: string;\n  type: string;\n"
                + "  size: number | null;\n  url: string;\n"), dts);
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
                  const count: number = await Tickets.attach(new Blob(["x"]), [new File([], "a")], "note",
                      { onProgress: (p) => console.log(p.loaded / p.total) });
                  const download = await Tickets.report();
                  download.save();
                  const size: number | null = download.size;
                  // @ts-expect-error: a file is a Blob
                  Tickets.attach("not a file", [], "note");
                  // @ts-expect-error: a title is a string
                  Tickets.open(42, new Date());
                  // @ts-expect-error: status is "OPEN" | "CLOSED"
                  const wrong: Ticket = { ...t, status: "PENDING" };
                  return t.title + price + (t.parent?.title ?? "") + wrong.title + count + size + download.url;
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

    /**
     * What a TypeScript user does: download the served modules and declarations, import them with
     * {@code tsc --strict}, under both module resolutions a browser project uses.
     */
    @Test
    void servedDeclarationsTypeCheckUnderBundlerAndNode16(@TempDir Path dir) throws Exception {
        Path tsc = Path.of("js-client/node_modules/typescript/bin/tsc").toAbsolutePath();
        if (!Files.exists(tsc)) {
            System.err.println("tsc not installed (cd js-client && npm ci): declarations not type-checked");
            return;
        }
        for (String file : List.of("engine.js", "engine.mjs", "engine.d.ts", "engine.d.mts", "interface/Tickets.js",
                "interface/Tickets.mjs", "interface/Tickets.d.ts", "interface/Tickets.d.mts",
                "interface/TicketBoard.d.ts", "interface/TicketBoard.d.mts")) {
            PageClient.Reply r = client.get("/" + file, Map.of());
            assertEquals(200, r.status(), file);
            Files.createDirectories(dir.resolve("src/pagewire/interface"));
            Files.writeString(dir.resolve("src/pagewire/" + file), r.body());
        }
        // As docs/GUIDE.md says: the downloaded files answer the imports of the absolute URLs.
        Files.writeString(dir.resolve("tsconfig.json"), """
                {"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", "lib": ["es2022", "dom"],
                  "paths": {"/pagewire/*": ["./src/pagewire/*"]}},
                 "files": ["usage.mts", "classic.ts"]}
                """);
        Files.writeString(dir.resolve("usage.mts"), """
                import pagewire, { type Mode, type PagewireError } from "/pagewire/engine.mjs";
                import { Tickets, type Ticket } from "/pagewire/interface/Tickets.mjs";
                import type { TicketBoard } from "/pagewire/interface/TicketBoard.mjs";
                pagewire.expose("board", {
                  opened(ticket) { console.log(ticket.title.toUpperCase(), ticket.status === "OPEN"); },
                  counts(byStatus, final_) { console.log(byStatus.CLOSED, final_); },
                } satisfies TicketBoard);
                // @ts-expect-error: opened receives a Ticket
                const wrong: TicketBoard = { opened(ticket: number) {}, counts() {} };
                export async function use(): Promise<string> {
                  const t: Ticket = await Tickets.open("printer on fire", new Date());
                  pagewire.setErrorHandler((message: string, error: PagewireError) => console.log(message, error.code));
                  pagewire.on("mode", (detail) => console.log(detail));
                  const mode: Mode = pagewire.reverseAjax("sse", { interval: 1000 });
                  const id: string = await pagewire.ready;
                  // @ts-expect-error: not a delivery mode
                  pagewire.reverseAjax("pigeon");
                  // @ts-expect-error: a title is a string
                  Tickets.open(42, new Date());
                  return t.title + mode + id + (pagewire.pageId ?? "");
                }
                """);
        Files.writeString(dir.resolve("classic.ts"), """
                /// <reference path="./src/pagewire/engine.d.ts" />
                pagewire.setTimeout(5000);
                const handler: PagewireEngine.ErrorHandler = (message) => console.log(message);
                pagewire.setErrorHandler(handler);
                """);
        for (String resolution : List.of("bundler", "node16")) {
            String module = resolution.equals("bundler") ? "esnext" : "node16";
            TscRun run = tsc(tsc, dir, "-p", "tsconfig.json", "--module", module, "--moduleResolution", resolution);
            assertEquals(0, run.exit(), resolution + ": " + run.output());
        }
        Files.writeString(dir.resolve("broken.mts"), """
                import { Tickets } from "/pagewire/interface/Tickets.mjs";
                Tickets.price("one");
                """);
        Files.writeString(dir.resolve("tsconfig.broken.json"), """
                {"extends": "./tsconfig.json", "files": ["broken.mts"]}
                """);
        TscRun broken = tsc(tsc, dir, "-p", "tsconfig.broken.json",
                "--module", "node16", "--moduleResolution", "node16");
        assertTrue(broken.exit() != 0 && broken.output().contains("broken.mts(2,"), broken.output());
    }

    /** How {@code tsc} ended: its exit code and what it printed. */
    record TscRun(int exit, String output) {
    }

    /** Runs the pinned {@code tsc} with {@code args} in {@code dir}. */
    static TscRun tsc(Path tsc, Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", tsc.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        return new TscRun(p.waitFor(), output);
    }

    @Test
    void pageInterfacesGetDeclarations() {
        String dts = client.get("/interface/TicketBoard.d.ts", Map.of()).body();
        assertTrue(dts.contains("pagewire.expose(\"board\", ...)"), dts);
        assertTrue(dts.contains("export interface Ticket {"), "records it receives are declared: " + dts);
        assertTrue(dts.contains("export interface TicketBoard {\n"
                + "  counts(byStatus: Record<string, number>, final_: boolean): void;\n"
                + "  opened(ticket: Ticket): void;\n}"), dts);
        assertEquals(dts, client.get("/interface/TicketBoard.d.mts", Map.of()).body());
        assertEquals(404, client.get("/interface/TicketBoard.js", Map.of()).status(), "types only: no script");
    }

    public interface Bell {
        int ring();
    }

    @Test
    void aPageInterfaceThatCannotBePushedFailsAtBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(TicketService.class).pageInterface(Bell.class).build());
        assertTrue(e.getMessage().startsWith("pageInterface " + Bell.class.getName()
                + ": page interface method Bell.ring must return void"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().pageInterface(Ticket.class));
    }

    @Test
    void enginesKnowTheirMountAndStartOnce() {
        String classic = client.get("/engine.js", Map.of()).body();
        assertTrue(classic.contains("function createPagewire("), "the engine from js-client is inside");
        assertTrue(classic.contains("createPagewire({ base: \"/pagewire\", script: "), classic.substring(classic.length() - 300));
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
