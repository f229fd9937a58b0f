package dev.pagewire.testing;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;

/**
 * A Pagewire served by embedded Tomcat on a free port, for one test or one test class; closing it
 * stops the server and closes the Pagewire.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()))) {
 *     PageClient page = server.page("/room/");
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    private final Pagewire pagewire;
    private final PagewireServer server;

    private TestServer(Pagewire pagewire) {
        this.pagewire = pagewire;
        this.server = PagewireServer.create(pagewire).start(0);
    }

    /** Builds {@code builder} and serves it on a free port. */
    public static TestServer start(Pagewire.Builder builder) {
        return new TestServer(builder.build());
    }

    /** The Pagewire being served. */
    public Pagewire pagewire() {
        return pagewire;
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** A new page of this server (its own browser: its own cookies), handshaken at {@code path}. */
    public PageClient page(String path) {
        PageClient page = new PageClient(port());
        page.handshake(path);
        return page;
    }

    /** Stops the server, then closes the Pagewire. */
    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            pagewire.close();
        }
    }
}
