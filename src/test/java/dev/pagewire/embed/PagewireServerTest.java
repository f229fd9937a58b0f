package dev.pagewire.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.Pagewire;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.Wait;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
        expected = new HashMap<>(expected);
        expected.putAll(Map.of("app.js.map", "application/json", "site.webmanifest", "application/manifest+json",
                "font.woff2", "font/woff2", "photo.webp", "image/webp", "favicon.ico", "image/x-icon",
                "notes.md", "text/markdown;charset=UTF-8"));
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

    @Test
    void servletsFiltersAndListenersRunBesidePagewire() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpServlet hello = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("hello from " + request.getServletPath());
            }
        };
        Filter stamp = (request, response, chain) -> {
            ((HttpServletResponse) response).setHeader("X-Stamp", "seen");
            chain.doFilter(request, response);
        };
        ServletContextListener context = new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent e) {
                events.add("context started");
            }

            @Override
            public void contextDestroyed(ServletContextEvent e) {
                events.add("context stopped");
            }
        };
        HttpSessionListener sessions = new HttpSessionListener() {
            @Override
            public void sessionCreated(HttpSessionEvent e) {
                events.add("session created");
            }
        };
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire).servlet("/hello/*", hello).filter("/*", stamp)
                    .listener(context).listener(sessions).start(0);
            try {
                assertEquals(List.of("context started"), events);
                try (RawHttp reply = RawHttp.send(server.port(), "GET", "/hello/there", Map.of(), null).readHead()) {
                    assertEquals(200, reply.status());
                    assertEquals("seen", reply.header("X-Stamp"));
                    assertEquals("hello from /hello", reply.readBody());
                }
                try (RawHttp reply = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
                    assertEquals(200, reply.status());
                    assertEquals("seen", reply.header("X-Stamp"), "the filter runs before Pagewire too");
                }
                new PageClient(server.port()).handshake("/listened/");
                assertEquals(List.of("context started", "session created"), events, "a handshake starts an HTTP session");
                IllegalStateException late = assertThrows(IllegalStateException.class, () -> server.servlet("/x", hello));
                assertEquals("servlet, filter and listener: call before start()", late.getMessage());
            } finally {
                server.stop();
            }
            assertEquals("context stopped", events.get(events.size() - 1));
        }
    }

    @Test
    void aMappingThatIsTakenOrNotAMappingIsAClearError() {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            HttpServlet any = new HttpServlet() { };
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> PagewireServer.create(pagewire).servlet("hello", any));
            assertEquals("servlet: \"hello\" is not a Servlet mapping (\"/path\", \"/path/*\", \"*.ext\" or \"/\")",
                    bad.getMessage());
            PagewireServer server = PagewireServer.create(pagewire).servlet("/pagewire/*", any);
            IllegalStateException taken = assertThrows(IllegalStateException.class, () -> server.start(0));
            assertTrue(taken.getMessage().contains("the mapping /pagewire/* is taken by another servlet"), taken.getMessage());
            server.stop();
        }
    }

    @Test
    void joinReturnsWhenTheServerStops() throws Exception {
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire).start(0);
            CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
                try {
                    server.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (RawHttp reply = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
                assertEquals(200, reply.status());
            }
            assertTrue(!joined.isDone(), "join() waits while the server runs");
            server.stop();
            joined.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void httpsWithAKeystore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String keytoolSays = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), keytoolSays);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
            PagewireServer server = PagewireServer.create(pagewire).https(keystore, "changeit").start(0);
            try {
                HttpResponse<String> reply = client.send(HttpRequest.newBuilder(
                                URI.create("https://localhost:" + server.port() + "/pagewire/handshake"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/secure/\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, reply.statusCode(), reply.body());
                assertTrue(reply.body().contains("\"token\""), reply.body());
                List<String> cookies = reply.headers().allValues("Set-Cookie");
                assertTrue(!cookies.isEmpty() && cookies.stream().allMatch(c -> c.contains("Secure")),
                        "cookies over HTTPS are Secure: " + cookies);
            } finally {
                server.stop();
            }
        }
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PagewireServer.create(Pagewire.builder().expose(new Ping()).build()).https(dir.resolve("none.p12"), "x"));
        assertEquals("https: no readable keystore " + dir.resolve("none.p12"), missing.getMessage());
    }

    /** A method that runs until the test lets it finish. */
    public static class Slow {
        static final CountDownLatch ENTERED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        public String work() throws InterruptedException {
            ENTERED.countDown();
            RELEASE.await(30, TimeUnit.SECONDS);
            return "done";
        }
    }

    @Test
    void aGracefulStopAnswersHeldPollsLetsRunningCallsFinishAndRefusesNewHolds() throws Exception {
        Pagewire pagewire = Pagewire.builder().expose(new Slow()).build();
        PagewireServer server = PagewireServer.create(pagewire).start(0);
        PageClient waiting = new PageClient(server.port());
        waiting.handshake("/held/");
        CompletableFuture<PageClient.Reply> poll = CompletableFuture.supplyAsync(
                () -> waiting.post("/poll", "{\"ack\":0,\"hold\":true}", waiting.pageHeaders()));
        Wait.until("the poll is held", 10, () -> pagewire.heldRequests() == 1);
        PageClient caller = new PageClient(server.port());
        caller.handshake("/calls/");
        CompletableFuture<JsonObject> call = CompletableFuture.supplyAsync(() -> caller.call("Slow", "work"));
        assertTrue(Slow.ENTERED.await(10, TimeUnit.SECONDS), "the call runs");

        // What stop(grace) does first, called alone here so that the refusal can be seen: once
        // Tomcat begins to stop it closes connections instead, and the engine reconnects the same way.
        pagewire.drain();
        PageClient.Reply answered = poll.get(10, TimeUnit.SECONDS);
        assertEquals(200, answered.status(), "the held poll is answered at once: " + answered.body());
        PageClient.Reply again = waiting.post("/poll", "{\"ack\":0,\"hold\":true}", waiting.pageHeaders());
        assertEquals(503, again.status(), again.body());
        assertEquals("SHUTTING_DOWN", again.errorCode());
        assertEquals("1", again.raw().headers().firstValue("Retry-After").orElse(null));
        assertEquals(200, waiting.post("/poll", "{\"ack\":0}", waiting.pageHeaders()).status(), "polls are still answered");

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(20)));
        Wait.until("the connector stops taking requests", 10, () -> {
            try (RawHttp r = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
                return r.status() != 200;
            } catch (java.io.IOException | RuntimeException refused) {
                return true;
            }
        });
        assertTrue(!stopping.isDone(), "the stop waits for the running call");
        CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
            try {
                server.join(); // while the stop is under way: waits for it
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Slow.RELEASE.countDown();
        assertEquals("done", call.get(20, TimeUnit.SECONDS).get("result").getAsString(), "the running call finished");
        stopping.get(30, TimeUnit.SECONDS);
        joined.get(30, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, server::port, "stopped");
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
