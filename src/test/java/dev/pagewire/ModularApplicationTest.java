package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a modular application sees: a module {@code app} that {@code requires dev.pagewire} is
 * compiled against {@code target/classes} (the library's {@code module-info}) and run with
 * {@code java --module-path ... -m app/app.Main} in a child process. The other tests run on the
 * class path, where the module descriptor is ignored.
 */
class ModularApplicationTest {
    /** The modules the application's module path needs: Pagewire's and what it and Tomcat require. */
    private static final Set<String> MODULES = Set.of("dev.pagewire", "com.google.gson",
            "org.apache.tomcat.embed.core", "jakarta.annotation");

    /** A module-info written as docs/GUIDE.md tells a modular application to write it. */
    private static final String MODULE_INFO = """
            module app {
                requires dev.pagewire;
                requires org.apache.tomcat.embed.core;
                opens app to dev.pagewire, com.google.gson;
            }
            """;

    /**
     * Exposes a package-private class (Pagewire invokes it reflectively) whose method takes and
     * returns records (gson builds and reads them reflectively), then serves until stdin closes.
     */
    private static final String MAIN = """
            package app;

            import dev.pagewire.Pagewire;
            import dev.pagewire.embed.PagewireServer;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    PagewireServer server = PagewireServer.create(Pagewire.builder().expose(Greeter.class).build())
                            .start(0);
                    System.out.println("port=" + server.port());
                    System.out.flush();
                    while (System.in.read() != -1) {
                        // serves until the test closes our stdin
                    }
                    server.stop();
                }
            }

            record Person(String name) {
            }

            record Greeting(String text, int letters) {
            }

            class Greeter {
                public Greeting greet(Person person) {
                    return new Greeting("Hello, " + person.name(), person.name().length());
                }
            }
            """;

    private static String modulePath;

    @BeforeAll
    static void findModules() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        Set<String> found = new HashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Set<String> names = moduleNames(Path.of(entry));
            if (names.stream().anyMatch(MODULES::contains)) {
                entries.add(entry);
                found.addAll(names);
            }
        }
        assertTrue(found.containsAll(MODULES), "modules on the test class path: " + found + " in " + classPath);
        modulePath = String.join(File.pathSeparator, entries);
    }

    @Test
    void anApplicationModuleSeesTheApiAndNotTheInternals(@TempDir Path dir) throws IOException {
        Path app = writeApp(dir);
        assertEquals("", compile(app, dir.resolve("out")), "the exported API compiles");

        Files.writeString(app.resolve("app/Peek.java"), """
                package app;

                class Peek {
                    dev.pagewire.push.UpdateQueue queue;
                }
                """);
        String errors = compile(app, dir.resolve("peek"));
        assertTrue(errors.contains("package dev.pagewire.push is declared in module dev.pagewire, which does not export it"),
                errors);
    }

    @Test
    void anApplicationModuleServesCallsFromItsOwnPackage(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertEquals("", compile(writeApp(dir), out));
        Path log = dir.resolve("app.log");
        Process process = start(out, log);
        try {
            int port = readPort(process, log);
            PageClient page = new PageClient(port);
            page.handshake("/");
            JsonObject reply = page.callRaw("Greeter", "greet", "[{\"name\":\"Ada\"}]");
            assertFalse(reply.has("error"), () -> reply + "\n" + read(log));
            JsonObject greeting = reply.getAsJsonObject("result");
            assertEquals("Hello, Ada", greeting.get("text").getAsString());
            assertEquals(3, greeting.get("letters").getAsInt());
        } finally {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Runs {@code app/app.Main} from {@code out} on the module path; its stderr goes to {@code log}. */
    private static Process start(Path out, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + out, "-m", "app/app.Main")
                .redirectError(log.toFile()).start();
    }

    private static Path writeApp(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("app/Main.java"), MAIN);
        return src;
    }

    /** Compiles the module in {@code src} to {@code out}; returns the errors, empty when none. */
    private static String compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8); Stream<Path> walk = Files.walk(src)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            // An explicit, empty class path: javac would otherwise use this JVM's, Pagewire's classes included.
            List<String> options = List.of("--release", "17", "--module-path", modulePath, "--class-path",
                    out.toString(), "-d", out.toString());
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n"));
    }

    /** The first line the application prints, {@code port=N}, read with a deadline. */
    private static int readPort(Process process, Path log) throws Exception {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return "failed to read: " + e;
            }
        });
        String first;
        try {
            first = line.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the application printed no port within 30 s:\n" + read(log), e);
        }
        if (first == null || !first.startsWith("port=")) {
            throw new AssertionError("the application did not start: " + first + "\n" + read(log));
        }
        return Integer.parseInt(first.substring("port=".length()));
    }

    /** The module names in a class path entry; none when it is not a module or a jar. */
    private static Set<String> moduleNames(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream().map(ModuleReference::descriptor)
                    .map(d -> d.name()).collect(Collectors.toSet());
        } catch (FindException e) {
            return Set.of();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
