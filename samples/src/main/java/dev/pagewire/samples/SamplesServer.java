package dev.pagewire.samples;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.redis.RedisBackend;
import dev.pagewire.samples.chat.ChatSample;
import dev.pagewire.samples.echo.EchoSample;
import dev.pagewire.samples.files.FilesSample;
import dev.pagewire.samples.monitor.MonitorSample;
import dev.pagewire.samples.notes.NotesSample;
import dev.pagewire.samples.ticker.TickerSample;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;

/**
 * Runs every sample on one server: {@code http://localhost:8080/} (the {@code PORT} environment
 * variable overrides the port). This is what the README's run command starts. With
 * {@code PAGEWIRE_REDIS=redis://host:port} it is a node of a cluster: start it twice on two ports
 * against one Redis and the pages of both share notes, chat rooms and one ticker (the monitor
 * shows the pages each node holds). Besides Pagewire's own, the node opens one Redis connection
 * for the chat's name claims and the ticker's prices, under {@code pagewire-samples:}.
 */
public final class SamplesServer {
    private static final Duration DEFAULT_PAGE_IDLE = Duration.ofSeconds(Pagewire.Builder.DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS);

    private final List<Sample> samples;
    private final Pagewire pagewire;
    private final PagewireServer server;
    private final RedisClient redisClient; // null without Redis
    private final StatefulRedisConnection<String, String> redisConnection;
    private boolean stopped;

    private SamplesServer(int port, String redis, Duration pageIdleTimeout) {
        this.redisClient = redis == null ? null : RedisClient.create();
        this.redisConnection = redis == null ? null : connect(redisClient, redis);
        RedisCommands<String, String> shared = redis == null ? null : redisConnection.sync();
        this.samples = List.of(new EchoSample(), new NotesSample(), new ChatSample(shared, pageIdleTimeout), new TickerSample(shared),
                new MonitorSample(), new FilesSample());
        Pagewire.Builder builder = Pagewire.builder().debug(true).pageIdleTimeout(pageIdleTimeout);
        if (redis != null) {
            builder.backend(RedisBackend.create(redis));
        }
        samples.forEach(s -> s.configure(builder));
        this.pagewire = builder.build();
        samples.forEach(s -> s.start(pagewire));
        this.server = PagewireServer.create(pagewire).staticClasspath("samples-web").start(port);
    }

    /** Commands fail at once while Redis is unreachable, and after 2 s without a reply. */
    private static StatefulRedisConnection<String, String> connect(RedisClient client, String uri) {
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(uri));
        connection.setTimeout(Duration.ofSeconds(2));
        return connection;
    }

    /** Starts the samples on {@code port} (0 for any free port). */
    public static SamplesServer start(int port) {
        return new SamplesServer(port, null, DEFAULT_PAGE_IDLE);
    }

    /** Starts the samples on {@code port} as a node of the cluster on the Redis at {@code redisUri}. */
    public static SamplesServer start(int port, String redisUri) {
        return start(port, redisUri, DEFAULT_PAGE_IDLE);
    }

    /**
     * As {@link #start(int, String)}, with pages ending {@code pageIdleTimeout} after they were last
     * heard from (a node's death shows sooner: tests).
     */
    static SamplesServer start(int port, String redisUri, Duration pageIdleTimeout) {
        return new SamplesServer(port, redisUri, pageIdleTimeout);
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** The configuration the samples run on (tests push and look at sessions through it). */
    public Pagewire pagewire() {
        return pagewire;
    }

    /** Stops the samples, the server and the Redis connection; calling it again does nothing. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        samples.forEach(Sample::stop);
        server.stop();
        if (redisClient != null) {
            redisConnection.close();
            redisClient.shutdown();
        }
    }

    /** Runs the samples until the process ends: {@code PORT} and {@code PAGEWIRE_REDIS} as above. */
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
