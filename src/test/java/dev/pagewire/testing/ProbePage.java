package dev.pagewire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The browser tests' probe page ({@code src/test/resources/push-web/index.html}: the engine, the
 * {@code Probe} proxy, {@code window.received} and {@code window.events}), served as static files.
 */
public final class ProbePage {
    private ProbePage() {
    }

    /** Writes the probe page to {@code web}{@code /push/index.html}, for {@code http://host/push/}. */
    public static void writeTo(Path web) throws IOException {
        try (InputStream in = ProbePage.class.getResourceAsStream("/push-web/index.html")) {
            Files.createDirectories(web.resolve("push"));
            Files.write(web.resolve("push/index.html"), in.readAllBytes());
        }
    }
}
