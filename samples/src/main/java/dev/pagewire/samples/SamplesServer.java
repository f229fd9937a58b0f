package dev.pagewire.samples;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.redis.RedisBackend;
import dev.pagewire.samples.chat.ChatSample;
import dev.pagewire.samples.echo.EchoSample;
import dev.pagewire.samples.monitor.MonitorSample;
import dev.pagewire.samples.notes.NotesSample;
import dev.pagewire.samples.ticker.TickerSample;
import java.util.List;

/**
 * Runs every sample on one server: {@code http://localhost:8080/} (the {@code PORT} environment
 * variable overrides the port). This is what the README's run command starts. With
 * {@code PAGEWIRE_REDIS=redis://host:port} it is a node of a cluster: start it twice on two ports
 * against one Redis and a note sent on one node shows on the pages of both.
 */
public final class SamplesServer {
    private final List<Sample> samples;
    private final Pagewire pagewire;
    private final PagewireServer server;

    private SamplesServer(int port, String redis) {
        this.samples = List.of(new EchoSample(), new NotesSample(), new ChatSample(), new TickerSample(), new MonitorSample());
        Pagewire.Builder builder = Pagewire.builder().debug(true);
        if (redis != null) {
            builder.backend(RedisBackend.create(redis));
        }
        samples.forEach(s -> s.configure(builder));
        this.pagewire = builder.build();
        samples.forEach(s -> s.start(pagewire));
        this.server = PagewireServer.create(pagewire).staticClasspath("samples-web").start(port);
    }

    /** Starts the samples on {@code port} (0 for any free port). */
    public static SamplesServer start(int port) {
        return new SamplesServer(port, null);
    }

    /** Starts the samples on {@code port} as a node of the cluster on the Redis at {@code redisUri}. */
    public static SamplesServer start(int port, String redisUri) {
        return new SamplesServer(port, redisUri);
    }

    public int port() {
        return server.port();
    }

    /** The configuration the samples run on (tests push and look at sessions through it). */
    public Pagewire pagewire() {
        return pagewire;
    }

    public void stop() {
        samples.forEach(Sample::stop);
        server.stop();
    }

    public static void main(String[] args) throws InterruptedException {
        String env = System.getenv("PORT");
        int port = env == null || env.isBlank() ? 8080 : Integer.parseInt(env.trim());
        String redis = System.getenv("PAGEWIRE_REDIS");
        SamplesServer samples = start(port, redis == null || redis.isBlank() ? null : redis.trim());
        System.out.println("Pagewire samples: http://localhost:" + samples.port() + "/"
                + (redis == null || redis.isBlank() ? "" : "  (a node of the cluster on " + redis.trim() + ")")
                + "  (Ctrl-C stops)");
        Runtime.getRuntime().addShutdownHook(new Thread(samples::stop));
        Thread.currentThread().join();
    }
}
