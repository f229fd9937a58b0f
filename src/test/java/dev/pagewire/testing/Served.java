package dev.pagewire.testing;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import java.nio.file.Path;

/**
 * A Pagewire served at {@code /pagewire/*} on a free port by the container the test run chose:
 * embedded Tomcat ({@link PagewireServer}), or Jetty 12 (ee10) when the system property {@value
 * #CONTAINER} is {@code jetty}. The core module's surefire execution {@code jetty} runs the
 * integration suite that way, to prove Pagewire on a second Servlet 6 container.
 */
public interface Served extends AutoCloseable {
    /** The system property that chooses the container: {@code tomcat} (default) or {@code jetty}. */
    String CONTAINER = "pagewire.test.container";

    /** Serves {@code pagewire} on a free port of {@code localhost}. */
    static Served start(Pagewire pagewire) {
        return start(pagewire, null);
    }

    /** As {@link #start(Pagewire)}, with the files of {@code web} (if not null) at {@code /}. */
    static Served start(Pagewire pagewire, Path web) {
        if (onJetty()) {
            return JettyServer.start(pagewire, web);
        }
        PagewireServer server = PagewireServer.create(pagewire);
        PagewireServer tomcat = (web == null ? server : server.staticFiles(web)).start(0);
        return new Served() {
            @Override
            public int port() {
                return tomcat.port();
            }

            @Override
            public Pagewire pagewire() {
                return tomcat.pagewire();
            }

            @Override
            public void stop() {
                tomcat.stop();
            }
        };
    }

    /** Whether this run serves with Jetty. */
    static boolean onJetty() {
        return "jetty".equals(System.getProperty(CONTAINER, "tomcat"));
    }

    /** The port it listens on. */
    int port();

    /** The configuration it serves. */
    Pagewire pagewire();

    /** Stops the container (which closes the Pagewire); safe to call twice. */
    void stop();

    @Override
    default void close() {
        stop();
    }
}
