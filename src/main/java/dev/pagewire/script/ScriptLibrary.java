package dev.pagewire.script;

import com.google.gson.Gson;
import dev.pagewire.PageInterface;
import dev.pagewire.TopicRule;
import dev.pagewire.remoting.ProxyRegistry;
import dev.pagewire.remoting.RemoteMethodInfo;
import dev.pagewire.remoting.RemoteParameter;
import dev.pagewire.remoting.RemoteProxyInfo;
import dev.pagewire.topic.TopicCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Every generated script, made once: the proxies at construction, the engine once per mount path
 * (the engine must know where it is mounted, and that is known only from the first request).
 *
 * <p>Thread-safe: proxy scripts are immutable after construction; engines are cached in a
 * concurrent map.
 */
public final class ScriptLibrary {
    static final String JS = "text/javascript; charset=utf-8";
    static final String TS = "application/typescript; charset=utf-8";
    private static final Set<String> JS_RESERVED = Set.of("break", "case", "catch", "class", "const",
            "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false",
            "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
            "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let",
            "static", "implements", "interface", "package", "private", "protected", "public", "await",
            "arguments", "eval");
    /**
     * Debug mode only: a JavaScript {@code Proxy} whose unknown members are functions that throw
     * a {@code TypeError} with advice. {@code then} and {@code toJSON} stay absent, so awaiting or
     * serialising a proxy behaves as in production.
     */
    private static final String ADVISE_UNEXPOSED = """
            function adviseUnexposed(stubs, name, type) {
              return new Proxy(stubs, {
                get(target, key, receiver) {
                  if (typeof key !== "string" || key in target || key === "then" || key === "toJSON") {
                    return Reflect.get(target, key, receiver);
                  }
                  return function () {
                    throw new TypeError(name + "." + key + " is not exposed: mark it @RemoteMethod (a public method of "
                        + type + ") and restart the server. Exposed: " + (Object.keys(target).join(", ") || "none"));
                  };
                },
              });
            }
            """;

    /** What {@code engine.d.mts} exports besides the engine's own namespace. */
    private static final String ENGINE_MODULE_EXPORTS = """
            export type Pagewire = PagewireEngine.Pagewire;
            export type PagewireError = PagewireEngine.PagewireError;
            export type ErrorHandler = PagewireEngine.ErrorHandler;
            export type CallOptions = PagewireEngine.CallOptions;
            export type BatchOptions = PagewireEngine.BatchOptions;
            export type Mode = PagewireEngine.Mode;
            export type ModeOptions = PagewireEngine.ModeOptions;
            export type FileDownload = PagewireEngine.FileDownload;
            export type Progress = PagewireEngine.Progress;
            declare const pagewire: Pagewire;
            export default pagewire;
            """;

    private final boolean debug;
    private final String engineSource = load("engine.js");
    private final Script engineDeclarations;
    private final Script engineModuleDeclarations;
    private final Map<String, Script> proxyScripts = new TreeMap<>();
    private final Map<String, Script> engines = new ConcurrentHashMap<>();
    private final Gson gson = new Gson();

    /**
     * Generates every script of {@code registry}'s proxies and the declarations of
     * {@code pageInterfaces} (checked already). With {@code debug}, calling a method a proxy
     * does not have throws a {@code TypeError} that says how to expose it, instead of
     * "is not a function".
     *
     * The proxy of the topics' calls gets, as its declarations, the topics' types instead:
     * {@code pagewire.subscribe} and {@code pagewire.publish} typed by {@code topicRules}.
     *
     * @throws IllegalStateException when a page interface has the name of a proxy
     */
    public ScriptLibrary(ProxyRegistry registry, Collection<Class<?>> pageInterfaces, List<TopicRule> topicRules,
                         boolean debug) {
        this.debug = debug;
        String engineTypes = "// TypeScript declarations of the Pagewire engine, generated from its JSDoc.\n\n"
                + "declare namespace PagewireEngine {\n" + load("engine.d.ts")
                + "/** The page's engine: window.pagewire, or the default export of engine.mjs. */\n"
                + "export type Pagewire = ReturnType<typeof createPagewire>;\n}\n\n";
        engineDeclarations = Script.of(engineTypes + "declare var pagewire: PagewireEngine.Pagewire;\n", TS);
        engineModuleDeclarations = Script.of(engineTypes + ENGINE_MODULE_EXPORTS, TS);
        for (RemoteProxyInfo proxy : registry.all()) {
            proxyScripts.put(proxy.name() + ".js", Script.of(classic(proxy), JS));
            proxyScripts.put(proxy.name() + ".mjs", Script.of(module(proxy), JS));
            if (proxy.name().equals(TopicCalls.PROXY)) {
                Script declarations = Script.of(TopicDeclarations.of(topicRules), TS);
                proxyScripts.put(proxy.name() + ".d.ts", declarations);
                proxyScripts.put(proxy.name() + ".d.mts", declarations);
                continue;
            }
            String declarations = declarations(proxy);
            proxyScripts.put(proxy.name() + ".d.ts", Script.of(declarations + windowGlobal(proxy.name()), TS));
            proxyScripts.put(proxy.name() + ".d.mts", Script.of(declarations, TS));
        }
        pageInterfaces.forEach(this::addPageInterface);
    }

    private void addPageInterface(Class<?> type) {
        String name = type.getSimpleName();
        if (proxyScripts.containsKey(name + ".js")) {
            throw new IllegalStateException("pageInterface " + type.getName() + ": its declarations would be served at"
                    + " interface/" + name + ".d.ts, which belongs to the proxy " + name);
        }
        Script declarations = Script.of(pageInterfaceDeclarations(type), TS);
        proxyScripts.put(name + ".d.ts", declarations);
        proxyScripts.put(name + ".d.mts", declarations);
    }

    /** The script at {@code interface/{file}}, or {@code null} when there is none. */
    public Script proxyScript(String file) {
        return proxyScripts.get(file);
    }

    /**
     * TypeScript declarations of the engine: {@code engine.d.ts} for the classic script (a global
     * {@code pagewire}) or {@code engine.d.mts} for the module (its default export).
     */
    public Script engineDeclarations(boolean module) {
        return module ? engineModuleDeclarations : engineDeclarations;
    }

    /** {@code engine.js} (classic) or {@code engine.mjs} (module) for a mount URL path. */
    public Script engine(String mount, boolean module) {
        return engines.computeIfAbsent((module ? "m:" : "c:") + mount, k -> {
            // script: where this script came from, so that a page of another origin calls this server
            String script = module ? "import.meta.url"
                    : "(typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined)";
            String classic = "(function () {\n" + engineSource
                    + "\nif (!globalThis.pagewire) {\n  globalThis.pagewire = createPagewire({ base: "
                    + gson.toJson(mount) + ", script: " + script + " });\n  globalThis.pagewire.start();\n}\n})();\n";
            return Script.of(module ? classic + "export default globalThis.pagewire;\n" : classic, JS);
        });
    }

    private String classic(RemoteProxyInfo proxy) {
        return header(proxy)
                + "(function () {\n"
                + "  if (!globalThis.pagewire) {\n"
                + "    throw new Error(\"Pagewire: load engine.js before interface/" + proxy.name() + ".js\");\n"
                + "  }\n"
                + "  globalThis." + proxy.name() + " = " + stubs(proxy, "globalThis.pagewire") + ";\n"
                + (debug ? ADVISE_UNEXPOSED.indent(2) : "")
                + "})();\n";
    }

    private String module(RemoteProxyInfo proxy) {
        return header(proxy)
                + "import pagewire from \"../engine.mjs\";\n\n"
                + "export const " + proxy.name() + " = " + stubs(proxy, "pagewire") + ";\n"
                + "export default " + proxy.name() + ";\n"
                + (debug ? "\n" + ADVISE_UNEXPOSED : "");
    }

    /** The proxy object: plain in production; in debug mode wrapped to advise on unexposed methods. */
    private String stubs(RemoteProxyInfo proxy, String engine) {
        String stubs = engine + ".proxy(" + gson.toJson(proxy.name()) + ", " + arities(proxy) + ")";
        return debug ? "adviseUnexposed(" + stubs + ", " + gson.toJson(proxy.name()) + ", "
                + gson.toJson(proxy.type().getSimpleName()) + ")" : stubs;
    }

    private String header(RemoteProxyInfo proxy) {
        StringBuilder s = new StringBuilder("// Pagewire proxy '").append(proxy.name())
                .append("', generated from ").append(proxy.type().getSimpleName()).append(".\n");
        for (RemoteMethodInfo m : proxy.allMethods()) {
            s.append("//   ").append(proxy.name()).append('.').append(m.name()).append('(')
                    .append(String.join(", ", parameterNames(m))).append(")\n");
        }
        return s.append('\n').toString();
    }

    private String arities(RemoteProxyInfo proxy) {
        Map<String, List<Integer>> arities = new LinkedHashMap<>();
        proxy.methods().forEach((name, byArity) -> arities.put(name, byArity.keySet().stream().sorted().toList()));
        return gson.toJson(arities);
    }

    private String declarations(RemoteProxyInfo proxy) {
        TypeScriptTypes types = new TypeScriptTypes();
        StringBuilder members = new StringBuilder();
        for (RemoteMethodInfo m : proxy.allMethods()) {
            String result = types.of(m.returnType(), false);
            members.append("  ").append(m.name()).append('(');
            List<RemoteParameter> sent = m.sentParameters();
            List<String> names = parameterNames(m);
            for (int i = 0; i < sent.size(); i++) {
                members.append(names.get(i)).append(": ").append(types.of(sent.get(i).type(), true)).append(", ");
            }
            members.append("options?: CallOptions<").append(result).append("> | ((result: ").append(result)
                    .append(") => void)): Promise<").append(result).append(">;\n");
        }
        return "// TypeScript declarations for the Pagewire proxy '" + proxy.name() + "' ("
                + proxy.type().getSimpleName() + "), generated.\n\n"
                + "/** An error from a call: the server's exception for code EXCEPTION. */\n"
                + "export interface PagewireError extends Error {\n"
                + "  code: string;\n  incident?: string;\n  proxy?: string;\n  method?: string;\n}\n\n"
                + "/** The optional last argument of every call. */\n"
                + "export interface CallOptions<T> {\n"
                + "  callback?: (result: T) => void;\n"
                + "  errorHandler?: (message: string, error: PagewireError) => void;\n"
                + "  exceptionHandler?: (message: string, error: PagewireError) => void;\n"
                + "  timeout?: number;\n"
                + "  onProgress?: (progress: {loaded: number, total: number}) => void;\n}\n\n"
                + types.declarations()
                + "export declare const " + proxy.name() + ": {\n" + members + "};\n"
                + "export default " + proxy.name() + ";\n";
    }

    /** For {@code .d.ts}: the classic script also defines {@code window.{name}}. */
    private static String windowGlobal(String name) {
        return "\ndeclare global {\n  interface Window {\n    " + name + ": typeof " + name + ";\n  }\n}\n";
    }

    private String pageInterfaceDeclarations(Class<?> type) {
        PageInterface annotation = type.getAnnotation(PageInterface.class);
        String name = annotation != null ? annotation.value()  // as PageGroup.proxy names it
                : Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
        TypeScriptTypes types = new TypeScriptTypes();
        String members = Arrays.stream(type.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isDefault())
                .sorted(Comparator.comparing(Method::getName)).map(m -> member(m, types))
                .collect(Collectors.joining());
        return "// TypeScript declarations for the page interface '" + name + "' (" + type.getSimpleName()
                + "), generated:\n// the object a page exposes with pagewire.expose(" + gson.toJson(name)
                + ", ...) for pushes through it.\n\n"
                + types.declarations()
                + "export interface " + type.getSimpleName() + " {\n" + members + "}\n";
    }

    private static String member(Method method, TypeScriptTypes types) {
        List<String> parameters = Arrays.stream(method.getParameters())
                .map(p -> identifier(p.getName()) + ": " + types.of(p.getParameterizedType(), false)).toList();
        return "  " + method.getName() + "(" + String.join(", ", parameters) + "): void;\n";
    }

    private static String identifier(String name) {
        return JS_RESERVED.contains(name) ? name + "_" : name;
    }

    private static List<String> parameterNames(RemoteMethodInfo m) {
        return m.sentParameters().stream()
                .map(p -> identifier(p.name())).toList();
    }

    private static String load(String resource) {
        try (InputStream in = ScriptLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the Pagewire jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
