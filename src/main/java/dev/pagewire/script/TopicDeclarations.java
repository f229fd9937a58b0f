package dev.pagewire.script;

import com.google.gson.Gson;
import dev.pagewire.TopicRule;
import java.util.List;

/**
 * The TypeScript declarations of a server's topics, served as {@code interface/PagewireTopics.d.ts}
 * (and {@code .d.mts}): an interface {@code Topics} with one {@code subscribe} overload per rule
 * that declares what its subscribers receive ({@link TopicRule#subscribe(dev.pagewire.TopicAccess,
 * Class)}) and then an untyped one ({@code unknown} data) for every other pattern; one {@code
 * publish} overload per rule that lets pages publish, with its data type, and no other (pages may
 * publish nowhere else), in the rules' order. A rule's pattern becomes a template
 * literal type: {@code /ticker/prices/*} is {@code `/ticker/prices/${string}`}, which both the
 * pattern itself and each of its topics match. The engine is assignable to {@code Topics}.
 */
final class TopicDeclarations {
    private static final Gson GSON = new Gson();

    private TopicDeclarations() {
    }

    /** The declarations for {@code rules}. */
    static String of(List<TopicRule> rules) {
        TypeScriptTypes types = new TypeScriptTypes();
        StringBuilder members = new StringBuilder();
        for (TopicRule r : rules) {
            if (r.received() != null) {
                members.append("  subscribe(pattern: ").append(namesOf(r.pattern())).append(", handler: (data: ")
                        .append(types.of(r.received(), false)).append(", info: TopicInfo) => void): Subscription;\n");
            }
        }
        members.append("  subscribe(pattern: string, handler: (data: unknown, info: TopicInfo) => void): Subscription;\n");
        for (TopicRule r : rules) {
            if (r.dataType() != null) {
                members.append("  publish(topic: ").append(namesOf(r.pattern())).append(", data: ")
                        .append(types.of(r.dataType(), true)).append("): Promise<void>;\n");
            }
        }
        return """
                // TypeScript declarations of this server's topics, generated from its topic rules.
                // The engine is a Topics: const topics: Topics = pagewire; topics.subscribe(...) is then typed.

                /** Where a topic update came from (docs/TOPICS.md). */
                export interface TopicInfo {
                  topic: string;
                  key: string | null;
                  skipped: number;
                  time: number | null;
                }

                /** What subscribe returns. */
                export interface Subscription {
                  readonly pattern: string;
                  readonly ready: Promise<void>;
                  unsubscribe(): void;
                }

                """ + types.declarations()
                + "/** pagewire.subscribe and pagewire.publish, typed by the topics the server declares. */\n"
                + "export interface Topics {\n" + members + "}\n";
    }

    /** The topic names a pattern means, as a TypeScript type: each wildcard a {@code ${string}}. */
    static String namesOf(String pattern) {
        if (!pattern.contains("*")) {
            return GSON.toJson(pattern);
        }
        return "`" + pattern.replace("**", "${string}").replace("*", "${string}") + "`";
    }
}
