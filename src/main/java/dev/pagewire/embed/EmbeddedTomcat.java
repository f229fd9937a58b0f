package dev.pagewire.embed;

import dev.pagewire.Pagewire;
import dev.pagewire.PagewireServlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.JarResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.modeler.NoDescriptorRegistry;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * The running Tomcat of a {@link PagewireServer}. Every Tomcat type lives here, so that
 * {@code PagewireServer} loads without Tomcat and can say which dependency is missing.
 */
final class EmbeddedTomcat {
    /** Static files read and served as UTF-8 (others get Tomcat's media type without a charset). */
    private static final List<String> TEXT_FILES =
            List.of("html", "htm", "js", "mjs", "css", "txt", "csv", "xml", "svg", "md");

    private final Path baseDir;
    private final Tomcat tomcat;

    private EmbeddedTomcat(Path baseDir) {
        this.baseDir = baseDir;
        this.tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
    }

    /** Where and how to listen, and the user's own connector settings applied after Pagewire's; HTTPS if {@code https} is set. */
    record Listen(String host, int port, int maxConnections, Consumer<Connector> settings, Keystore https) {
    }

    /**
     * Turns Tomcat's MBeans off, or checks that they can be on. Tomcat keeps one MBean registry per
     * JVM, so the first Tomcat started decides: turned off after a Tomcat with MBeans started, they
     * stay on (Tomcat logs a warning); asked for after they were turned off, this throws.
     */
    static void tomcatMBeans(boolean on) {
        if (!on) {
            Registry.disableRegistry();
        } else if (Registry.getRegistry(null) instanceof NoDescriptorRegistry) {
            throw new IllegalStateException("tomcatMBeans(true): Tomcat's MBeans are already off in this JVM,"
                    + " turned off by a server started before this one (off is the default); Tomcat keeps one"
                    + " registry per JVM, so turn them on in every PagewireServer of the JVM");
        }
    }

    /** The key and certificate for HTTPS. */
    record Keystore(Path file, String password) {
    }

    /**
     * Starts Tomcat with Pagewire at {@code /pagewire/*} and, when {@code staticFolder} is not
     * null (a {@code file:} or {@code jar:} URL of a folder), static files at {@code /}.
     */
    static EmbeddedTomcat start(Pagewire pagewire, Listen listen, URL staticFolder,
                                List<Consumer<ServletContext>> additions) throws IOException, LifecycleException {
        EmbeddedTomcat server = new EmbeddedTomcat(Files.createTempDirectory("pagewire-tomcat"));
        try {
            server.tomcat.setConnector(connector(listen));
            Context context = server.configure(pagewire, staticFolder);
            // The user's servlets, filters and listeners, through the Servlet API as a web
            // application's initializer adds them.
            context.addServletContainerInitializer((classes, servletContext) -> {
                for (Consumer<ServletContext> addition : additions) {
                    addition.accept(servletContext);
                }
            }, null);
            server.tomcat.start();
            return server;
        } catch (LifecycleException | RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    /** The port Tomcat listens on. */
    int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /**
     * Stops Tomcat, waiting up to {@code grace} for requests running in servlets to finish, and
     * deletes its temporary folder.
     */
    void stop(Duration grace) {
        for (Container child : tomcat.getHost().findChildren()) {
            if (child instanceof StandardContext context) {
                context.setUnloadDelay(Math.max(0, grace.toMillis()));
            }
        }
        stop();
    }

    /** Stops Tomcat and deletes its temporary folder. */
    void stop() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Pagewire server did not stop cleanly", e);
        } finally {
            deleteBaseDir();
        }
    }

    private static Connector connector(Listen listen) {
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(listen.port());
        connector.setProperty("address", listen.host());
        connector.setThrowOnFailure(true);
        set(connector, "maxConnections", Integer.toString(listen.maxConnections()));
        set(connector, "acceptCount", Integer.toString(PagewireServer.DEFAULT_ACCEPT_COUNT));
        set(connector, "socket.appReadBufSize", Integer.toString(PagewireServer.DEFAULT_SOCKET_BUFFER_BYTES));
        set(connector, "socket.appWriteBufSize", Integer.toString(PagewireServer.DEFAULT_SOCKET_BUFFER_BYTES));
        if (listen.https() != null) {
            https(connector, listen.https());
        }
        listen.settings().accept(connector);
        return connector;
    }

    private static void https(Connector connector, Keystore keystore) {
        connector.setScheme("https");
        connector.setSecure(true);
        set(connector, "SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateKeystoreFile(keystore.file().toString());
        certificate.setCertificateKeystorePassword(keystore.password());
        ssl.addCertificate(certificate);
        connector.addSslHostConfig(ssl);
    }

    private static void set(Connector connector, String name, String value) {
        if (!connector.setProperty(name, value)) {
            throw new IllegalStateException("Tomcat refused connector setting " + name + "=" + value);
        }
    }

    private Context configure(Pagewire pagewire, URL staticFolder) {
        ErrorReportValve errors = new ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errors);
        Context context = tomcat.addContext("", baseDir.toString());
        skipLeakChecks(context);
        addWebSocket(context);
        if (staticFolder != null) {
            addStaticFiles(context, staticFolder);
        }
        Wrapper wrapper = Tomcat.addServlet(context, "pagewire", new PagewireServlet(pagewire));
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/pagewire/*", "pagewire");
        return context;
    }

    /**
     * Tomcat's WebSocket container, when {@code tomcat-embed-websocket} is on the class path: it
     * puts the {@code ServerContainer} in the context's attributes, where the websocket delivery
     * mode finds it. Without the jar the mode is refused and everything else works.
     */
    private static void addWebSocket(Context context) {
        Object initializer;
        try {
            initializer = Class.forName("org.apache.tomcat.websocket.server.WsSci").getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return;
        }
        context.addServletContainerInitializer((ServletContainerInitializer) initializer, null);
    }

    /**
     * Leak checks are for redeployed web apps: nothing is redeployed here, and on Java 17 they
     * only print warnings asking for --add-opens at every stop.
     */
    private static void skipLeakChecks(Context context) {
        if (context instanceof StandardContext standard) {
            standard.setClearReferencesObjectStreamClassCaches(false);
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
        }
    }

    private static void addStaticFiles(Context context, URL folder) {
        Wrapper files = Tomcat.addServlet(context, "static", new DefaultServlet());
        files.addInitParameter("listings", "false");
        files.addInitParameter("fileEncoding", "UTF-8");
        context.addServletMappingDecoded("/", "static");
        context.addWelcomeFile("index.html");
        addMediaTypes(context);
        context.setResources(staticRoot(context, folder));
    }

    /** Tomcat's table of media types (a bare context has none), text types as UTF-8. */
    private static void addMediaTypes(Context context) {
        Tomcat.addDefaultMimeTypeMappings(context);
        // Common in front-end builds, missing from Tomcat's table.
        context.addMimeMapping("map", "application/json");
        context.addMimeMapping("webmanifest", "application/manifest+json");
        context.addMimeMapping("md", "text/markdown");
        for (String text : TEXT_FILES) {
            context.addMimeMapping(text, context.findMimeMapping(text) + ";charset=UTF-8");
        }
    }

    private static StandardRoot staticRoot(Context context, URL folder) {
        StandardRoot root = new StandardRoot(context);
        if (folder.getProtocol().equals("jar")) {
            String spec = folder.getPath(); // file:/x/app.jar!/web
            int bang = spec.indexOf("!/");
            root.addPreResources(new JarResourceSet(root, "/", Path.of(java.net.URI.create(spec.substring(0, bang)))
                    .toString(), "/" + spec.substring(bang + 2)));
        } else {
            root.addPreResources(new DirResourceSet(root, "/", toPath(folder).toString(), "/"));
        }
        return root;
    }

    private static Path toPath(URL folder) {
        try {
            return Path.of(folder.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad static folder URL " + folder, e);
        }
    }

    private void deleteBaseDir() {
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
