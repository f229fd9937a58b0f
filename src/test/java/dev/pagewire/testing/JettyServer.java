package dev.pagewire.testing;

import dev.pagewire.Pagewire;
import dev.pagewire.PagewireServlet;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Pagewire on Jetty 12 (ee10): {@link PagewireServlet} at {@code /pagewire/*}, async supported,
 * with HTTP sessions and Jetty's Jakarta WebSocket container, as a user of Jetty would register it. Loaded only when a test run asks for
 * Jetty ({@link Served}), so modules without Jetty on their class path never touch it.
 */
final class JettyServer implements Served {
    private final Server server;
    private final ServerConnector connector;
    private final Pagewire pagewire;

    private JettyServer(Server server, ServerConnector connector, Pagewire pagewire) {
        this.server = server;
        this.connector = connector;
        this.pagewire = pagewire;
    }

    static JettyServer start(Pagewire pagewire, Path web) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("localhost");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("pagewire", new PagewireServlet(pagewire));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/pagewire/*");
        if (web != null) {
            context.setBaseResourceAsPath(web);
            context.setWelcomeFiles(new String[] {"index.html"});
            context.addServlet(new ServletHolder("static", DefaultServlet.class), "/");
        }
        // Jetty's Jakarta WebSocket container, found by Pagewire's websocket mode in the context's attributes
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
        return new JettyServer(server, connector, pagewire);
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public Pagewire pagewire() {
        return pagewire;
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
