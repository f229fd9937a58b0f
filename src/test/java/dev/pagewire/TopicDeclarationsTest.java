package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated declarations of typed topics, {@code interface/PagewireTopics.d.ts}: a subscribe
 * overload per rule that declares what its subscribers receive, a publish overload per rule that
 * lets pages publish and none elsewhere, checked with {@code tsc --strict} against the served engine.
 */
class TopicDeclarationsTest {
    /** What the ticker publishes. */
    public record PriceTick(String symbol, double price, Instant at) {
    }

    /** What pages say in a room. */
    public record Said(String text) {
    }

    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Pagewire.builder().expose(new Ping())
                .topic(TopicRule.on("/ticker/prices/*").subscribe(TopicAccess.anyone(), PriceTick.class))
                .topic(TopicRule.on("/chat/**").subscribe(TopicAccess.anyone(), Said.class)
                        .publish(TopicAccess.subscribers(), Said.class))
                .topic(TopicRule.on("/news/today").subscribe(TopicAccess.anyone())));
    }

    private static String get(String file) {
        PageClient.Reply r = server.page("/").get("/" + file, Map.of());
        assertEquals(200, r.status(), file);
        return r.body();
    }

    @Test
    void eachDeclaredTopicGetsOverloadsInTheRulesOrder() {
        String dts = get("interface/PagewireTopics.d.ts");
        assertTrue(dts.contains("export interface PriceTick {\n  symbol: string;\n  price: number;\n  at: string;\n}"), dts);
        assertTrue(dts.contains("export interface Topics {\n"
                + "  subscribe(pattern: `/ticker/prices/${string}`, handler: (data: PriceTick, info: TopicInfo) => void): Subscription;\n"
                + "  subscribe(pattern: `/chat/${string}`, handler: (data: Said, info: TopicInfo) => void): Subscription;\n"
                + "  subscribe(pattern: string, handler: (data: unknown, info: TopicInfo) => void): Subscription;\n"
                + "  publish(topic: `/chat/${string}`, data: Said): Promise<void>;\n}"), dts);
        assertEquals(dts, get("interface/PagewireTopics.d.mts"));
    }

    @Test
    void typedHandlersAndDataTypeCheckWithTsc(@TempDir Path dir) throws Exception {
        Path tsc = Path.of("js-client/node_modules/typescript/bin/tsc").toAbsolutePath();
        if (!Files.exists(tsc)) {
            System.err.println("tsc not installed (cd js-client && npm ci): topic declarations not type-checked");
            return;
        }
        Files.createDirectories(dir.resolve("src/pagewire/interface"));
        for (String file : List.of("engine.mjs", "engine.d.mts", "interface/PagewireTopics.mjs", "interface/PagewireTopics.d.mts")) {
            Files.writeString(dir.resolve("src/pagewire/" + file), get(file));
        }
        Files.writeString(dir.resolve("tsconfig.json"), """
                {"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", "lib": ["es2022", "dom"],
                  "paths": {"/pagewire/*": ["./src/pagewire/*"]}},
                 "files": ["usage.mts"]}
                """);
        Files.writeString(dir.resolve("usage.mts"), """
                import pagewire from "/pagewire/engine.mjs";
                import type { Topics, PriceTick } from "/pagewire/interface/PagewireTopics.mjs";
                const topics: Topics = pagewire;
                topics.subscribe("/ticker/prices/*", (tick, info) => console.log(tick.price.toFixed(2), info.skipped));
                topics.subscribe("/ticker/prices/ACME", (tick: PriceTick) => console.log(tick.symbol));
                topics.subscribe("/chat/rooms/blue", (said) => console.log(said.text.length));
                topics.subscribe("/news/today", (news) => console.log(news));
                await topics.publish("/chat/rooms/blue", { text: "hi" });
                // @ts-expect-error: a price is a number
                topics.subscribe("/ticker/prices/*", (tick: { price: string }) => console.log(tick));
                // @ts-expect-error: what pages publish on the chat is a Said
                await topics.publish("/chat/rooms/blue", { words: 1 });
                // @ts-expect-error: no rule lets pages publish there
                await topics.publish("/news/today", "extra!");
                // @ts-expect-error: undeclared data is unknown
                topics.subscribe("/news/today", (news) => console.log(news.length));
                """);
        ScriptsIntegrationTest.TscRun run = ScriptsIntegrationTest.tsc(tsc, dir, "-p", "tsconfig.json",
                "--module", "esnext", "--moduleResolution", "bundler");
        assertEquals(0, run.exit(), run.output());
    }
}
