package dev.pagewire.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's {@code /usr/bin/redis-server}) for one test, on a free
 * loopback port with a temporary folder of its own, so that faults are real: {@link #kill()} is
 * SIGKILL, {@link #restart()} replays the append-only file, {@link #restartEmpty()} comes back with
 * nothing.
 *
 * <p>Durable by default: {@code appendonly yes} with {@code appendfsync always}, so whatever a
 * command wrote survives a SIGKILL, and no RDB snapshots ({@code save ""}) unless the options given
 * to {@link #start(String...)} ask for them. The server's log is {@code redis.log} in its folder;
 * its last lines go into every failure about the server.
 *
 * <pre>{@code
 * @AutoClose RedisServer redis = RedisServer.start();
 * redis.command("SET", "k", "v");
 * redis.kill();
 * redis.restart();
 * assertEquals("v", redis.command("GET", "k"));
 * }</pre>
 *
 * <p>Not thread-safe, except {@link #command(String...)}: each command opens its own connection.
 */
public final class RedisServer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String LOG = "redis.log";
    private static final int START_SECONDS = 20;
    private static final int PORT_ATTEMPTS = 3;

    private final Path dir;
    private final List<String> options;
    private int port;
    private ChildProcess process;

    private RedisServer(Path dir, List<String> options) {
        this.dir = dir;
        this.options = options;
    }

    /**
     * Starts a server and returns once it answers {@code PING}. {@code options} are appended to the
     * command line, for example {@code "--save", "1 1"} for snapshots.
     *
     * @throws IllegalStateException when {@code redis-server} is not installed
     */
    public static RedisServer start(String... options) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("no " + BINARY + ": apt-get install redis-server");
        }
        RedisServer redis = new RedisServer(ChildProcess.tempDir("pagewire-redis-"), List.of(options));
        try {
            redis.startOnFreePort();
            return redis;
        } catch (RuntimeException | Error e) {
            redis.close();
            throw e;
        }
    }

    /** The port it listens on, on 127.0.0.1; the same across restarts. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Its folder: the append-only files and {@code redis.log}. */
    public Path dir() {
        return dir;
    }

    /** Whether the process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Sends one command over a new connection and returns the reply as text: a status or an
     * integer as written, a bulk string decoded as UTF-8 ({@code null} for a null reply), an array
     * as its elements on separate lines.
     *
     * @throws IllegalStateException when Redis answers with an error
     * @throws UncheckedIOException when it cannot be reached
     */
    public String command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(encode(args));
            return readReply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Empties every database of the running server ({@code FLUSHALL}): "Redis emptied" live. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /** Kills the server with SIGKILL and waits for its end: no shutdown, no last write. */
    public void kill() {
        process.kill();
    }

    /**
     * Starts the server again (killing it first if it runs) on the same port and folder, and
     * returns once the append-only file is replayed and it answers {@code PING}.
     */
    public void restart() {
        kill();
        if (!launch()) {
            throw process.failure("port " + port + " was taken while redis-server was down");
        }
    }

    /** Kills the server, deletes its data and starts it again empty on the same port. */
    public void restartEmpty() {
        kill();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> !f.getFileName().toString().equals(LOG)).forEach(ChildProcess::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        restart();
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        try {
            if (process != null) {
                process.kill();
            }
        } finally {
            ChildProcess.deleteTree(dir);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            port = ChildProcess.freePort();
            if (launch()) {
                return;
            }
            ChildProcess.deleteTree(dir.resolve(LOG)); // another process took the port first: try another
        }
        throw new IllegalStateException("redis-server found no free port in " + PORT_ATTEMPTS + " attempts");
    }

    /** Starts the process; true once it answers, false when the port was taken. */
    private boolean launch() {
        process = ChildProcess.start(commandLine(), dir.resolve(LOG));
        return process.awaitListening("redis-server to answer PING on port " + port, START_SECONDS, this::isReady);
    }

    private boolean isReady() {
        try {
            return "PONG".equals(command("PING")) && command("INFO", "persistence").contains("loading:0");
        } catch (RuntimeException e) {
            return false; // not listening yet, or -LOADING while it replays the append-only file
        }
    }

    private List<String> commandLine() {
        List<String> line = new ArrayList<>(List.of(BINARY.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--daemonize", "no", "--logfile", "",
                "--appendonly", "yes", "--appendfsync", "always", "--save", ""));
        line.addAll(options);
        return line;
    }

    /** A command as RESP: an array of bulk strings. */
    private static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static String readReply(InputStream in) throws IOException {
        String line = RawHttp.readLine(in);
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+', ':' -> rest;
            case '-' -> throw new IllegalStateException("redis: " + rest);
            case '$' -> readBulk(in, Integer.parseInt(rest));
            case '*' -> readArray(in, Integer.parseInt(rest));
            default -> throw new IOException("not a RESP reply: " + line);
        };
    }

    private static String readArray(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            items.add(readReply(in));
        }
        return String.join("\n", items);
    }

    private static String readBulk(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        in.readNBytes(2); // CR LF
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
