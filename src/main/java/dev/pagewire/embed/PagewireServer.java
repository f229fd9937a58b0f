package dev.pagewire.embed;

import dev.pagewire.Pagewire;
import dev.pagewire.PagewireServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.JarResourceSet;

/**
 * Serves a {@link Pagewire} at {@code /pagewire/*} and, optionally, static files at {@code /} on
 * an embedded Tomcat bound to one port.
 *
 * <pre>{@code
 * PagewireServer server = PagewireServer.create(pagewire)
 *         .staticFiles(Path.of("web"))
 *         .start(8080);          // 0 picks a free port
 * System.out.println("http://localhost:" + server.port() + "/");
 * server.stop();
 * }</pre>
 *
 * <p>The connector is Tomcat's NIO HTTP/1.1 connector with defaults for parked pages: every
 * page holds a connection (Comet, SSE), so connections are capped by {@link #maxConnections}
 * rather than Tomcat's 8,192; socket buffers are 4 KiB, not 8 KiB (12 KiB less heap per
 * connection; Pagewire's requests and replies are small, larger ones are simply copied in more
 * pieces); the accept backlog is 1,024, for the burst of pages reconnecting after a restart.
 * Anything else: {@link #connector(Consumer)}.
 */
public final class PagewireServer {
    /** Descriptors kept for everything that is not a page's connection: jars, logs, outgoing calls. */
    private static final int RESERVED_FILES = 256;
    private static final int DEFAULT_MAX_CONNECTIONS = 20_000;
    /** Static files read and served as UTF-8 (others get Tomcat's media type without a charset). */
    private static final List<String> TEXT_FILES = List.of("html", "htm", "js", "mjs", "css", "txt", "csv", "xml", "svg");

    private final Pagewire pagewire;
    private String host = "localhost";
    private int maxConnections = defaultMaxConnections();
    private Consumer<Connector> connectorSettings = c -> { };
    private Path staticDirectory;
    private String staticClasspath;
    private Tomcat tomcat;
    private Path baseDir;

    private PagewireServer(Pagewire pagewire) {
        this.pagewire = pagewire;
    }

    /** A server for {@code pagewire}; nothing runs until {@link #start(int)}. */
    public static PagewireServer create(Pagewire pagewire) {
        return new PagewireServer(pagewire);
    }

    /** The configuration this server serves. */
    public Pagewire pagewire() {
        return pagewire;
    }

    /**
     * Serves the files under {@code directory} at {@code /}, {@code index.html} for a folder. Each
     * file carries its media type ({@code .js} and {@code .mjs} are {@code text/javascript}, so ES
     * modules load under either name); text files ({@code .html}, {@code .js}, {@code .css},
     * {@code .svg}, ...) are sent as UTF-8.
     */
    public PagewireServer staticFiles(Path directory) {
        this.staticDirectory = directory.toAbsolutePath();
        return this;
    }

    /**
     * Serves the classpath folder {@code folder} (for example {@code "web"}, found with the class
     * loader of this class) at {@code /}, whether it is a directory or inside a jar.
     */
    public PagewireServer staticClasspath(String folder) {
        this.staticClasspath = folder;
        return this;
    }

    /** The address to bind; {@code localhost} by default, {@code 0.0.0.0} for every interface. */
    public PagewireServer host(String host) {
        this.host = host;
        return this;
    }

    /**
     * Open connections at most; past it new connections wait in the accept backlog. Each parked
     * page (Comet, SSE) holds one, and each needs a file descriptor. Default: 20,000 (as
     * {@code maxScriptSessions}), or the process's open-file limit ({@code ulimit -n}) less 256
     * when that is lower; raise the limit to park more pages.
     */
    public PagewireServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + max);
        }
        this.maxConnections = max;
        return this;
    }

    /**
     * Changes the connector before the server starts, after Pagewire's defaults; for example
     * {@code c -> c.setProperty("maxThreads", "400")}. Names are Tomcat's HTTP connector
     * attributes; {@code setProperty} returns {@code false} for a name Tomcat does not know.
     */
    public PagewireServer connector(Consumer<Connector> settings) {
        this.connectorSettings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * Starts serving on {@code port} ({@code 0} picks a free one) and returns once requests are
     * accepted.
     *
     * @throws IllegalStateException when the server cannot start, for example the port is taken
     */
    public PagewireServer start(int port) {
        try {
            baseDir = Files.createTempDirectory("pagewire-tomcat");
            tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector("HTTP/1.1");
            connector.setPort(port);
            connector.setProperty("address", host);
            connector.setThrowOnFailure(true);
            set(connector, "maxConnections", Integer.toString(maxConnections));
            set(connector, "acceptCount", "1024");
            set(connector, "socket.appReadBufSize", "4096");
            set(connector, "socket.appWriteBufSize", "4096");
            connectorSettings.accept(connector);
            tomcat.setConnector(connector);
            org.apache.catalina.valves.ErrorReportValve errors = new org.apache.catalina.valves.ErrorReportValve();
            errors.setShowReport(false);
            errors.setShowServerInfo(false);
            tomcat.getHost().getPipeline().addValve(errors);
            Context context = tomcat.addContext("", baseDir.toString());
            if (context instanceof StandardContext standard) {
                // Leak checks for redeployed web apps: nothing is redeployed here, and on Java 17
                // they only print warnings asking for --add-opens at every stop.
                standard.setClearReferencesObjectStreamClassCaches(false);
                standard.setClearReferencesRmiTargets(false);
                standard.setClearReferencesThreadLocals(false);
            }
            addStaticFiles(context);
            Wrapper wrapper = Tomcat.addServlet(context, "pagewire", new PagewireServlet(pagewire));
            wrapper.setAsyncSupported(true);
            context.addServletMappingDecoded("/pagewire/*", "pagewire");
            tomcat.start();
            return this;
        } catch (LifecycleException | IOException | RuntimeException e) {
            stop();
            throw new IllegalStateException("Pagewire server could not start on " + host + ":" + port + ": " + e, e);
        }
    }

    /** The port the server listens on (the real one when started with 0). */
    public int port() {
        if (tomcat == null) {
            throw new IllegalStateException("the server is not running");
        }
        return tomcat.getConnector().getLocalPort();
    }

    /** Stops the server and frees the port; safe to call more than once. */
    public void stop() {
        Tomcat t = tomcat;
        tomcat = null;
        if (t != null) {
            try {
                t.stop();
                t.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException("Pagewire server did not stop cleanly", e);
            }
        }
        deleteBaseDir();
    }

    private static void set(Connector connector, String name, String value) {
        if (!connector.setProperty(name, value)) {
            throw new IllegalStateException("Tomcat refused connector setting " + name + "=" + value);
        }
    }

    private static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long files = unix.getMaxFileDescriptorCount();
            if (files > 0 && files - RESERVED_FILES < DEFAULT_MAX_CONNECTIONS) {
                return (int) Math.max(64, files - RESERVED_FILES);
            }
        }
        return DEFAULT_MAX_CONNECTIONS;
    }

    private void addStaticFiles(Context context) {
        if (staticDirectory == null && staticClasspath == null) {
            return;
        }
        Wrapper files = Tomcat.addServlet(context, "static", new DefaultServlet());
        files.addInitParameter("listings", "false");
        files.addInitParameter("fileEncoding", "UTF-8");
        context.addServletMappingDecoded("/", "static");
        context.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(context);
        for (String text : TEXT_FILES) {
            context.addMimeMapping(text, context.findMimeMapping(text) + ";charset=UTF-8");
        }
        StandardRoot root = new StandardRoot(context);
        if (staticDirectory != null) {
            root.addPreResources(new DirResourceSet(root, "/", staticDirectory.toString(), "/"));
        } else {
            addClasspathFolder(root);
        }
        context.setResources(root);
    }

    private void addClasspathFolder(StandardRoot root) {
        var url = PagewireServer.class.getClassLoader().getResource(staticClasspath);
        if (url == null) {
            throw new IllegalStateException("no classpath folder " + staticClasspath);
        }
        if (url.getProtocol().equals("jar")) {
            String spec = url.getPath(); // file:/x/app.jar!/web
            int bang = spec.indexOf("!/");
            root.addPreResources(new JarResourceSet(root, "/", Path.of(java.net.URI.create(spec.substring(0, bang)))
                    .toString(), "/" + spec.substring(bang + 2)));
        } else {
            try {
                root.addPreResources(new DirResourceSet(root, "/", Path.of(url.toURI()).toString(), "/"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException("bad classpath folder URL " + url, e);
            }
        }
    }

    private void deleteBaseDir() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        baseDir = null;
    }
}
