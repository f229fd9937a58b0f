package dev.pagewire.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded launcher's connector: defaults for parked pages, and the user's own settings. */
class PagewireServerTest {
    /** An application without Tomcat on its classpath; see {@link #withoutTomcatCreateSaysWhatIsMissing}. */
    public static class AppWithoutTomcat {
        public static String createServer() {
            try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
                PagewireServer.create(pagewire);
                return "created";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }
    }

    private static Map<String, String> settingsOf(PagewireServer server) {
        Map<String, String> seen = new HashMap<>();
        server.connector(c -> {
            for (String name : new String[] {"maxConnections", "acceptCount", "socket.appReadBufSize",
                    "socket.appWriteBufSize", "maxKeepAliveRequests"}) {
                seen.put(name, String.valueOf(c.getProperty(name)));
            }
        });
        server.start(0);
        server.stop();
        return seen;
    }

    @Test
    void defaultsSuitParkedPages() {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            Map<String, String> seen = settingsOf(PagewireServer.create(pagewire));
            long files = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getMaxFileDescriptorCount();
            assertEquals(Long.toString(Math.min(20_000, Math.max(64, files - 256))), seen.get("maxConnections"),
                    "more than Tomcat's 8,192 where the open-file limit allows");
            assertEquals("1024", seen.get("acceptCount"));
            assertEquals("4096", seen.get("socket.appReadBufSize"));
            assertEquals("4096", seen.get("socket.appWriteBufSize"));
        }
    }

    @Test
    void maxConnectionsIsTheUsersWhenSetAndMustBePositive() {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            assertEquals("5", settingsOf(PagewireServer.create(pagewire).maxConnections(5)).get("maxConnections"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PagewireServer.create(pagewire).maxConnections(0));
            assertTrue(e.getMessage().contains("maxConnections"), e.getMessage());
        }
    }

    @Test
    void theConnectorHookChangesWhatTheServerDoes() throws Exception {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire)
                    .connector(c -> c.setProperty("maxKeepAliveRequests", "1")).start(0);
            try (RawHttp reply = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
                assertEquals(200, reply.status());
                assertEquals("close", reply.header("Connection"), "one request per connection, as set");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void staticFilesCarryTheirContentType(@TempDir Path web) throws Exception {
        Map<String, String> expected = Map.of("index.html", "text/html;charset=UTF-8",
                "app.js", "text/javascript;charset=UTF-8", "app.mjs", "text/javascript;charset=UTF-8",
                "style.css", "text/css;charset=UTF-8", "todo.json", "application/json",
                "logo.svg", "image/svg+xml;charset=UTF-8", "notes.txt", "text/plain;charset=UTF-8",
                "add.wasm", "application/wasm", "logo.png", "image/png");
        for (String file : expected.keySet()) {
            Files.writeString(web.resolve(file), "\u2713 done");
        }
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire).staticFiles(web).start(0);
            try {
                for (var file : expected.entrySet()) {
                    try (RawHttp reply = RawHttp.send(server.port(), "GET", "/" + file.getKey(), Map.of(), null)
                            .readHead()) {
                        assertEquals(200, reply.status(), file.getKey());
                        assertEquals(file.getValue(), reply.header("Content-Type"), file.getKey());
                        assertEquals("\u2713 done", reply.readBody(), "bytes pass unchanged: " + file.getKey());
                    }
                }
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void aMissingStaticFolderIsAOneLineError(@TempDir Path dir) {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> server.staticFiles(dir.resolve("web")));
            assertEquals("staticFiles: no folder " + dir.resolve("web") + " (a relative path starts at "
                    + Path.of("").toAbsolutePath() + ")", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> server.staticClasspath("no-such-web"));
            assertEquals("staticClasspath: no folder \"no-such-web\" on the classpath"
                    + " (for Maven: src/main/resources/no-such-web)", e.getMessage());
        }
    }

    /** Tomcat is optional in Pagewire's pom: an application that lacks it is told so in one line. */
    @Test
    void withoutTomcatCreateSaysWhatIsMissing() throws Exception {
        URL[] classpath = {location(Pagewire.class), location(PagewireServerTest.class),
            location(com.google.gson.Gson.class), location(jakarta.servlet.Servlet.class)};
        try (URLClassLoader app = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> app.loadClass("org.apache.catalina.startup.Tomcat"));
            Object message = app.loadClass(AppWithoutTomcat.class.getName()).getMethod("createServer").invoke(null);
            assertEquals("PagewireServer needs Tomcat: add the dependency "
                    + "org.apache.tomcat.embed:tomcat-embed-core:10.1.x (Pagewire declares it optional)", message);
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
