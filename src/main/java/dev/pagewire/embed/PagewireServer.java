package dev.pagewire.embed;

import dev.pagewire.Pagewire;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.catalina.connector.Connector;

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
 * rather than Tomcat's 8,192; socket buffers are {@value #DEFAULT_SOCKET_BUFFER_BYTES} bytes,
 * not 8 KiB (12 KiB less heap per connection; Pagewire's requests and replies are small, larger
 * ones are simply copied in more pieces); the accept backlog is {@value #DEFAULT_ACCEPT_COUNT},
 * for the burst of pages reconnecting after a restart. Anything else: {@link #connector(Consumer)}.
 *
 * <p>Needs {@code org.apache.tomcat.embed:tomcat-embed-core} (10.1) on the classpath: Pagewire
 * declares it optional, so that an application deployed to its own container does not carry it.
 * Without it {@link #create} throws an {@link IllegalStateException} saying so.
 */
public final class PagewireServer {
    /** Descriptors kept for everything that is not a page's connection: jars, logs, outgoing calls. */
    private static final int RESERVED_FILES = 256;
    /** How long a stop on Ctrl-C or {@code SIGTERM} ({@link #join()}) waits for running calls. */
    public static final Duration SHUTDOWN_HOOK_GRACE = Duration.ofSeconds(10);
    /** Default of {@link #host(String)}. */
    public static final String DEFAULT_HOST = "localhost";
    /** Default of {@link #maxConnections(int)}, unless the open-file limit is lower. */
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
    /** The connector's accept backlog ({@code acceptCount}; Tomcat's own is 100). */
    public static final int DEFAULT_ACCEPT_COUNT = 1024;
    /**
     * The connector's read and write buffer per connection, in bytes ({@code
     * socket.appReadBufSize}, {@code socket.appWriteBufSize}; Tomcat's own are 8 KiB).
     */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4096;
    private static final String TOMCAT = "org.apache.catalina.startup.Tomcat";

    private final Pagewire pagewire;
    private String host = DEFAULT_HOST;
    private int maxConnections = defaultMaxConnections();
    private Consumer<Connector> connectorSettings = c -> { };
    private URL staticFolder;
    private final List<Consumer<ServletContext>> additions = new ArrayList<>();
    private EmbeddedTomcat.Keystore https;
    private boolean tomcatMBeans;
    private volatile EmbeddedTomcat running;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean started;

    private PagewireServer(Pagewire pagewire) {
        this.pagewire = pagewire;
    }

    /**
     * A server for {@code pagewire}; nothing runs until {@link #start(int)}.
     *
     * @throws IllegalStateException when Tomcat ({@code tomcat-embed-core}) is not on the classpath
     */
    public static PagewireServer create(Pagewire pagewire) {
        requireTomcat();
        return new PagewireServer(Objects.requireNonNull(pagewire, "pagewire"));
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
     *
     * @throws IllegalArgumentException when {@code directory} is not a folder; a relative path
     *         starts at the working directory
     */
    public PagewireServer staticFiles(Path directory) {
        Path folder = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("staticFiles: no folder " + folder + " (a relative path starts at "
                    + Path.of("").toAbsolutePath() + ")");
        }
        this.staticFolder = toUrl(folder);
        return this;
    }

    /**
     * Serves the classpath folder {@code folder} (for example {@code "web"}, found with the class
     * loader of this class) at {@code /}, whether it is a directory or inside a jar, as
     * {@link #staticFiles(Path)} does.
     *
     * @throws IllegalArgumentException when the classpath has no such folder
     */
    public PagewireServer staticClasspath(String folder) {
        URL url = PagewireServer.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalArgumentException("staticClasspath: no folder \"" + folder
                    + "\" on the classpath (for Maven: src/main/resources/" + folder + ")");
        }
        this.staticFolder = url;
        return this;
    }

    /**
     * Serves {@code servlet} at {@code mapping} (a Servlet mapping: {@code /api/*}, {@code /health},
     * {@code *.do}) beside Pagewire, with async support. Call before {@link #start}.
     *
     * @throws IllegalArgumentException for a mapping that is not a Servlet mapping
     * @throws IllegalStateException at {@link #start} when another servlet has the mapping
     *         ({@code /pagewire/*} is Pagewire's)
     */
    public PagewireServer servlet(String mapping, Servlet servlet) {
        requireMapping(mapping, "servlet");
        Objects.requireNonNull(servlet, "servlet");
        int n = additions.size();
        return add(context -> {
            ServletRegistration.Dynamic added = context.addServlet("servlet-" + n + "-"
                    + servlet.getClass().getSimpleName(), servlet);
            added.setAsyncSupported(true);
            Set<String> taken = added.addMapping(mapping);
            if (!taken.isEmpty()) {
                throw new IllegalStateException("servlet " + servlet.getClass().getName() + ": the mapping " + mapping
                        + " is taken by another servlet");
            }
        });
    }

    /**
     * Runs {@code filter} on requests whose path matches {@code urlPattern} (a Servlet URL
     * pattern: {@code /*}, {@code /pagewire/*}, {@code *.html}), in the order added, on requests and
     * on their async dispatches; with async support. Call before {@link #start}.
     *
     * @throws IllegalArgumentException for a pattern that is not a Servlet URL pattern
     */
    public PagewireServer filter(String urlPattern, Filter filter) {
        requireMapping(urlPattern, "filter");
        Objects.requireNonNull(filter, "filter");
        int n = additions.size();
        return add(context -> {
            FilterRegistration.Dynamic added = context.addFilter("filter-" + n + "-"
                    + filter.getClass().getSimpleName(), filter);
            added.setAsyncSupported(true);
            added.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, urlPattern);
        });
    }

    /**
     * Adds a Servlet listener: a {@code ServletContextListener}, {@code HttpSessionListener},
     * {@code ServletRequestListener} or any other the Servlet specification lets an application
     * add. Call before {@link #start}.
     *
     * @throws IllegalArgumentException at {@link #start} for a type the container does not take
     */
    public PagewireServer listener(EventListener listener) {
        Objects.requireNonNull(listener, "listener");
        return add(context -> context.addListener(listener));
    }

    /**
     * Serves HTTPS instead of HTTP, with the key and certificate in {@code keystore} (PKCS12 or
     * JKS, as {@code keytool} writes them). Pagewire's {@code pagewire} cookie and the HTTP-session
     * cookie are then {@code Secure}. Call before {@link #start}.
     *
     * @throws IllegalArgumentException when {@code keystore} is not a readable file
     */
    public PagewireServer https(Path keystore, String password) {
        Path file = keystore.toAbsolutePath().normalize();
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IllegalArgumentException("https: no readable keystore " + file);
        }
        requireNotStarted("https");
        this.https = new EmbeddedTomcat.Keystore(file, Objects.requireNonNull(password, "password"));
        return this;
    }

    private PagewireServer add(Consumer<ServletContext> addition) {
        requireNotStarted("servlet, filter and listener");
        additions.add(addition);
        return this;
    }

    private void requireNotStarted(String what) {
        if (running != null) {
            throw new IllegalStateException(what + ": call before start()");
        }
    }

    private static void requireMapping(String mapping, String what) {
        if (mapping == null || !(mapping.startsWith("/") || mapping.startsWith("*."))) {
            throw new IllegalArgumentException(what + ": \"" + mapping + "\" is not a Servlet mapping (\"/path\","
                    + " \"/path/*\", \"*.ext\" or \"/\")");
        }
    }

    /** The address to bind, {@code 0.0.0.0} for every interface. Default {@value #DEFAULT_HOST}. */
    public PagewireServer host(String host) {
        this.host = host;
        return this;
    }

    /**
     * Open connections at most; past it new connections wait in the accept backlog. Each parked
     * page (Comet, SSE) holds one, and each needs a file descriptor. Default {@value
     * #DEFAULT_MAX_CONNECTIONS} (as {@code maxPages}), or the process's open-file limit
     * ({@code ulimit -n}) less 256 when that is lower; raise the limit to park more pages.
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
     * Whether Tomcat registers its own MBeans with JMX (the connector, its thread pool, and one
     * per request processor, shown in JConsole or VisualVM under {@code Tomcat}). Default off, as
     * in Spring Boot: Tomcat registers a processor's MBean whenever it makes a processor and
     * unregisters it when it drops one, and with thousands of parked Comet pages that is thousands
     * of JMX registrations for each broadcast, as every answered page comes back with a new
     * request (docs/BENCHMARKS.md). Pagewire's own MBeans (under {@code
     * dev.pagewire}, see {@link Pagewire#metrics()}) are registered either way.
     *
     * <p>Tomcat keeps one MBean registry per JVM, so the first Tomcat started in it decides:
     * with two servers in one JVM, set the same value on both.
     *
     * @throws IllegalStateException at {@link #start} when {@code on} and a server started
     *         before in this JVM turned Tomcat's MBeans off
     */
    public PagewireServer tomcatMBeans(boolean on) {
        requireNotStarted("tomcatMBeans");
        this.tomcatMBeans = on;
        return this;
    }

    /**
     * Starts serving on {@code port} ({@code 0} picks a free one) and returns once requests are
     * accepted.
     *
     * @throws IllegalStateException when the server cannot start, for example the port is taken
     */
    public PagewireServer start(int port) {
        EmbeddedTomcat.tomcatMBeans(tomcatMBeans);
        try {
            running = EmbeddedTomcat.start(pagewire,
                    new EmbeddedTomcat.Listen(host, port, maxConnections, connectorSettings, https), staticFolder,
                    List.copyOf(additions));
            started = true;
            return this;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause(); // Tomcat wraps the reason in lifecycle exceptions
            }
            throw new IllegalStateException("Pagewire server could not start on " + host + ":" + port + ": " + e
                    + (cause == e ? "" : "; because: " + cause), e);
        }
    }

    /**
     * The port the server listens on (the real one when started with 0).
     *
     * @throws IllegalStateException when the server is not running
     */
    public int port() {
        if (running == null) {
            throw new IllegalStateException("the server is not running");
        }
        return running.port();
    }

    /**
     * Stops the server and frees the port; safe to call more than once. The servlet's end
     * {@linkplain Pagewire#close() closes} the {@link Pagewire} it served, ending its pages.
     */
    public void stop() {
        EmbeddedTomcat t = running;
        running = null;
        try {
            if (t != null) {
                t.stop();
            }
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Stops gracefully: first {@linkplain Pagewire#drain() drains} the pages' held requests (each
     * Comet poll is answered, each stream and socket closes, and pages asking to hold one again
     * are told {@code 503 SHUTTING_DOWN} with {@code Retry-After}, so they reconnect to another
     * node or to this server once it is back), then stops, waiting up to {@code grace} for calls
     * running in methods to finish and send their replies; then as {@link #stop()}.
     */
    public void stop(Duration grace) {
        EmbeddedTomcat t = running;
        if (t == null) {
            stop();
            return;
        }
        running = null;
        try {
            pagewire.drain();
            t.stop(grace);
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Waits until the server stops: for a {@code main} method that has nothing else to do. The
     * server stops when {@link #stop()} is called on another thread, or when the JVM is asked to
     * end (Ctrl-C, {@code SIGTERM}): a shutdown hook registered here stops it first, gracefully
     * ({@link #stop(Duration)} with {@link #SHUTDOWN_HOOK_GRACE}), so the {@link Pagewire} closes and
     * the port is freed. Called while a stop is under way, it waits for the stop to end; after it,
     * it returns at once.
     *
     * @throws IllegalStateException when the server was never started
     */
    public void join() throws InterruptedException {
        if (!started) { // a server stopping or stopped is joined: that returns once it has stopped
            throw new IllegalStateException("join: the server was never started");
        }
        Thread hook = new Thread(() -> stop(SHUTDOWN_HOOK_GRACE), "pagewire-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    private static void requireTomcat() {
        try {
            Class.forName(TOMCAT, false, PagewireServer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("PagewireServer needs Tomcat: add the dependency "
                    + "org.apache.tomcat.embed:tomcat-embed-core:10.1.x (Pagewire declares it optional)");
        }
    }

    private static URL toUrl(Path folder) {
        try {
            return folder.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("staticFiles: " + folder + " has no file URL", e);
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
}
