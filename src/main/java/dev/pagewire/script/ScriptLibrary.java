package dev.pagewire.script;

import com.google.gson.Gson;
import dev.pagewire.remoting.ProxyRegistry;
import dev.pagewire.remoting.RemoteMethodInfo;
import dev.pagewire.remoting.RemoteParameter;
import dev.pagewire.remoting.RemoteProxyInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

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

    private final String engineSource = loadEngine();
    private final Map<String, Script> proxyScripts = new TreeMap<>();
    private final Map<String, Script> engines = new ConcurrentHashMap<>();
    private final Gson gson = new Gson();

    public ScriptLibrary(ProxyRegistry registry) {
        for (RemoteProxyInfo proxy : registry.all()) {
            proxyScripts.put(proxy.name() + ".js", Script.of(classic(proxy), JS));
            proxyScripts.put(proxy.name() + ".mjs", Script.of(module(proxy), JS));
            proxyScripts.put(proxy.name() + ".d.ts", Script.of(declarations(proxy), TS));
        }
    }

    /** The script at {@code interface/{file}}, or {@code null} when there is none. */
    public Script proxyScript(String file) {
        return proxyScripts.get(file);
    }

    /** {@code engine.js} (classic) or {@code engine.mjs} (module) for a mount URL path. */
    public Script engine(String mount, boolean module) {
        return engines.computeIfAbsent((module ? "m:" : "c:") + mount, k -> {
            String classic = "(function () {\n" + engineSource
                    + "\nif (!globalThis.pagewire) {\n  globalThis.pagewire = createPagewire({ base: "
                    + gson.toJson(mount) + " });\n  globalThis.pagewire.start();\n}\n})();\n";
            return Script.of(module ? classic + "export default globalThis.pagewire;\n" : classic, JS);
        });
    }

    private String classic(RemoteProxyInfo proxy) {
        return header(proxy)
                + "(function () {\n"
                + "  if (!globalThis.pagewire) {\n"
                + "    throw new Error(\"Pagewire: load engine.js before interface/" + proxy.name() + ".js\");\n"
                + "  }\n"
                + "  globalThis." + proxy.name() + " = globalThis.pagewire.proxy(" + gson.toJson(proxy.name())
                + ", " + arities(proxy) + ");\n"
                + "})();\n";
    }

    private String module(RemoteProxyInfo proxy) {
        return header(proxy)
                + "import pagewire from \"../engine.mjs\";\n\n"
                + "export const " + proxy.name() + " = pagewire.proxy(" + gson.toJson(proxy.name())
                + ", " + arities(proxy) + ");\n"
                + "export default " + proxy.name() + ";\n";
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
                + "  timeout?: number;\n}\n\n"
                + types.declarations()
                + "export declare const " + proxy.name() + ": {\n" + members + "};\n"
                + "export default " + proxy.name() + ";\n\n"
                + "declare global {\n  interface Window {\n    " + proxy.name() + ": typeof "
                + proxy.name() + ";\n  }\n}\n";
    }

    private static List<String> parameterNames(RemoteMethodInfo m) {
        return m.sentParameters().stream()
                .map(p -> JS_RESERVED.contains(p.name()) ? p.name() + "_" : p.name()).toList();
    }

    private static String loadEngine() {
        try (InputStream in = ScriptLibrary.class.getResourceAsStream("engine.js")) {
            if (in == null) {
                throw new IllegalStateException("engine.js is missing from the Pagewire jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
