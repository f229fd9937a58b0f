package dev.pagewire.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the benchmark's own: a temporary folder, a free port on 127.0.0.1,
 * append-only with {@code fsync} every second and no snapshots (what docs/SCALING.md advises),
 * started by the driver and stopped by its own process handle. {@link #info} reads {@code INFO}
 * sections over a plain socket, so the figures come from Redis itself.
 *
 * <p><b>Threading.</b> One caller at a time: the driver's thread.
 */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private RedisProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts Debian's {@code redis-server} and waits (at most 20 s) until it answers {@code PING}. */
    public static RedisProcess start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pagewire-bench-redis");
        int port = freePort();
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        RedisProcess redis = new RedisProcess(p, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                redis.close();
                throw new IOException("redis-server exited at start (is it installed?)");
            }
            try {
                if (redis.command("PING").equals("PONG")) {
                    return redis;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        redis.close();
        throw new IOException("redis-server did not answer within 20 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code redis://127.0.0.1:port}, for {@code RedisBackend.create}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The redis-server process id. */
    public long pid() {
        return process.pid();
    }

    /** The {@code field:value} lines of one {@code INFO} section, e.g. {@code memory}, {@code cpu}. */
    public Map<String, String> info(String section) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : command("INFO", section).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /** Sends one command on a fresh connection; the reply as text (an error reply throws). */
    public String command(String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(s.getInputStream()));
        }
    }

    private static String reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+', ':' -> line;
            case '-' -> throw new IOException("redis: " + line);
            case '$' -> new String(in.readNBytes(Integer.parseInt(line)), StandardCharsets.UTF_8);
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Stops redis-server (SIGTERM, then SIGKILL after 15 s) and deletes its folder. */
    @Override
    public void close() {
        ServerProcess.stop(process);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** Sum of {@code calls=} over {@code INFO commandstats}, by command, e.g. {@code fcall=12}. */
    public Map<String, Long> commandCalls() throws IOException {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : info("commandstats").entrySet()) {
            String stats = e.getValue();
            int at = stats.indexOf("calls=");
            int end = stats.indexOf(',', at);
            calls.put(e.getKey().replace("cmdstat_", ""), Long.parseLong(stats.substring(at + 6, end)));
        }
        return calls;
    }

    /** Redis's CPU so far ({@code used_cpu_sys + used_cpu_user}), in milliseconds. */
    public double cpuMillis() throws IOException {
        Map<String, String> cpu = info("cpu");
        return (Double.parseDouble(cpu.get("used_cpu_sys")) + Double.parseDouble(cpu.get("used_cpu_user"))) * 1000;
    }

    /** {@code used_memory} in bytes. */
    public long usedMemory() throws IOException {
        return Long.parseLong(info("memory").get("used_memory"));
    }
}
