package dev.pagewire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A real reverse proxy ({@link Haproxy} or {@link Nginx}) in front of two nodes, run from the
 * configuration file the project ships in {@code docs/cluster/}, with only its ports changed: the
 * file's listen port {@code 8080} becomes a free one and its nodes {@code 127.0.0.1:8081} and
 * {@code 127.0.0.1:8082} become the given ports. It runs in a temporary folder of its own, with no
 * root needed; its stdout and stderr go to {@code proxy.log} there, whose last lines go into every
 * failure about it.
 *
 * <pre>{@code
 * try (ProxyProcess proxy = Haproxy.start(nodeA.port(), nodeB.port())) {
 *     PageClient page = new PageClient(proxy.port());
 * }
 * }</pre>
 *
 * <p>{@link #close()} ends it with SIGTERM (nginx's master then stops its workers), and with
 * SIGKILL for the whole process tree if it is still running ten seconds later. Not thread-safe.
 */
public final class ProxyProcess implements AutoCloseable {
    /** The listen port in the shipped files. */
    static final String LISTEN = "8080";
    /** The first node in the shipped files. */
    static final String NODE_A = "127.0.0.1:8081";
    /** The second node in the shipped files. */
    static final String NODE_B = "127.0.0.1:8082";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String LOG = "proxy.log";
    private static final int START_SECONDS = 20;
    private static final int STOP_SECONDS = 10;
    private static final int PORT_ATTEMPTS = 3;

    private final Program program;
    private final Path dir;
    private int port;
    private ChildProcess process;

    /**
     * One kind of proxy: its name, its binary, the file it ships and its command line for a
     * rendered file in a folder.
     */
    record Program(String name, Path binary, Path shippedConfig, BiFunction<Path, Path, List<String>> commandLine) {
        /** Fails, before anything starts, when the binary is not installed. */
        void requireInstalled() {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("no " + binary + ": apt-get install " + name + " (.ci/run does)");
            }
        }
    }

    private ProxyProcess(Program program, Path dir) {
        this.program = program;
        this.dir = dir;
    }

    /** Starts {@code program}'s shipped file in front of the nodes on {@code nodeA} and {@code nodeB}. */
    static ProxyProcess start(Program program, int nodeA, int nodeB) {
        program.requireInstalled();
        ProxyProcess proxy = new ProxyProcess(program, tempDir(program.name()));
        try {
            String shipped = Files.readString(program.shippedConfig(), StandardCharsets.UTF_8);
            proxy.startOnFreePort(shipped, nodeA, nodeB);
            return proxy;
        } catch (IOException e) {
            proxy.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
    }

    /**
     * Runs a command (a configuration check such as {@code haproxy -c}) to its end, in a temporary
     * folder it is given, and returns its output.
     *
     * @throws AssertionError when it ends with a status other than 0, with its output
     */
    static String check(Program program, Function<Path, List<String>> commandInFolder) {
        program.requireInstalled();
        Path dir = tempDir(program.name() + "-check");
        try {
            List<String> command = commandInFolder.apply(dir);
            ChildProcess check = ChildProcess.start(command, dir.resolve(LOG));
            int status = check.awaitExit(START_SECONDS);
            if (status != 0) {
                throw check.failure(String.join(" ", command) + " ended with status " + status);
            }
            return check.log();
        } finally {
            ChildProcess.deleteTree(dir);
        }
    }

    /**
     * The shipped file {@code config} with its listen port replaced by {@code listen} and its two
     * nodes by {@code 127.0.0.1:nodeA} and {@code 127.0.0.1:nodeB}.
     *
     * @throws IllegalStateException when the file no longer names one of the ports
     */
    static String render(String config, int listen, int nodeA, int nodeB) {
        for (String port : List.of(NODE_A, NODE_B, LISTEN)) {
            if (!config.contains(port)) {
                throw new IllegalStateException("the shipped configuration no longer names " + port);
            }
        }
        return config.replace(NODE_A, "127.0.0.1:" + nodeA).replace(NODE_B, "127.0.0.1:" + nodeB)
                .replaceAll("\\b" + LISTEN + "\\b", String.valueOf(listen));
    }

    /** The port it listens on (every address, so 127.0.0.2 too). */
    public int port() {
        return port;
    }

    /** Its folder: the rendered configuration, {@code proxy.log} and the proxy's own files. */
    public Path dir() {
        return dir;
    }

    /** Its stdout and stderr so far. */
    public String log() {
        return process == null ? "" : process.log();
    }

    /** Ends the proxy (SIGTERM, then SIGKILL for the whole tree) and deletes its folder. */
    @Override
    public void close() {
        try {
            if (process != null) {
                stop();
            }
        } finally {
            ChildProcess.deleteTree(dir);
        }
    }

    private void stop() {
        Process main = process.process();
        List<ProcessHandle> tree = main.descendants().toList();
        main.destroy();
        try {
            process.awaitExit(STOP_SECONDS);
        } finally {
            tree.forEach(ProcessHandle::destroyForcibly); // nothing for workers that ended with the master
            main.destroyForcibly();
        }
    }

    private void startOnFreePort(String shipped, int nodeA, int nodeB) throws IOException {
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            port = ChildProcess.freePort();
            Path config = dir.resolve(program.shippedConfig().getFileName());
            Files.writeString(config, render(shipped, port, nodeA, nodeB), StandardCharsets.UTF_8);
            if (launch(config)) {
                return;
            }
            ChildProcess.deleteTree(dir.resolve(LOG)); // another process took the port first: try another
        }
        throw new IllegalStateException(program.name() + " found no free port in " + PORT_ATTEMPTS + " attempts");
    }

    /** Starts the process; true once it accepts connections, false when the port was taken. */
    private boolean launch(Path config) {
        process = ChildProcess.start(program.commandLine().apply(dir, config), dir.resolve(LOG));
        return process.awaitListening(program.name() + " to accept connections on port " + port, START_SECONDS,
                this::accepts);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder that a proxy's workers may enter when they run as another user (nginx as root). */
    private static Path tempDir(String name) {
        Path dir = ChildProcess.tempDir("pagewire-" + name + "-");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

}
