package dev.pagewire.samples;

import dev.pagewire.testing.Browser;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;

/**
 * The samples server on a free port and one Chromium, started once per browser test class and
 * closed after it: what every sample's browser test stands on.
 */
abstract class SamplesFixture {
    @AutoClose("stop")
    static SamplesServer server;
    @AutoClose
    static Browser browser;
    /** The server's address, such as {@code http://localhost:41234}. */
    static String base;

    @BeforeAll
    static void start() {
        server = SamplesServer.start(0);
        base = "http://localhost:" + server.port();
        browser = new Browser();
    }
}
