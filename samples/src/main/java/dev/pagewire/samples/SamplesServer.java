package dev.pagewire.samples;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.samples.echo.Echo;

/**
 * Runs every sample on one server: {@code http://localhost:8080/} (the {@code PORT} environment
 * variable overrides the port). This is what the README's run command starts.
 */
public final class SamplesServer {
    private SamplesServer() {
    }

    /** The samples' configuration: every sample service, debug page on. */
    public static Pagewire pagewire() {
        return Pagewire.builder()
                .expose(Echo.class)
                .debug(true)
                .build();
    }

    /** Starts the samples on {@code port} (0 for any free port). */
    public static PagewireServer start(int port) {
        return PagewireServer.create(pagewire()).staticClasspath("samples-web").start(port);
    }

    public static void main(String[] args) throws InterruptedException {
        String env = System.getenv("PORT");
        int port = env == null || env.isBlank() ? 8080 : Integer.parseInt(env.trim());
        PagewireServer server = start(port);
        System.out.println("Pagewire samples: http://localhost:" + server.port() + "/  (Ctrl-C stops)");
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Thread.currentThread().join();
    }
}
