package dev.pagewire.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Pagewire node in a JVM of its own, for tests where a node must really die: {@link #kill()} is
 * SIGKILL, so no shutdown hook, no last write, the port closed by the kernel.
 *
 * <p>It runs {@code java} from this JVM's {@code java.home} with the test class path and a main
 * class ({@link NodeMain} unless another is given) that prints {@code port=N} on stdout once it
 * listens. Its stdout and stderr go to {@code node.log} in a temporary folder of its own (also its
 * {@code java.io.tmpdir}, so a killed node's Tomcat folder goes with it); the last lines of the log go
 * into every failure about the node. The child ends by itself when this JVM dies: {@code NodeMain}
 * watches its stdin.
 *
 * <pre>{@code
 * @AutoClose NodeProcess node = NodeProcess.start("a");
 * PageClient page = new PageClient(node.port());
 * node.kill();
 * }</pre>
 */
public final class NodeProcess implements AutoCloseable {
    /** Time for a JVM and Tomcat to start on a loaded two-core machine. */
    private static final int START_SECONDS = 60;
    private static final Pattern PORT_LINE = Pattern.compile("(?m)^port=(\\d+)$");

    private final Path dir;
    private final ChildProcess process;
    private int port;

    private NodeProcess(Path dir, ChildProcess process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts a {@link NodeMain} node called {@code name} and returns once it listens. */
    public static NodeProcess start(String name) {
        return start(NodeMain.class, name);
    }

    /**
     * Starts {@code mainClass} from the test class path with {@code args}, and returns once it has
     * printed {@code port=N}.
     *
     * @throws AssertionError when it ends, or prints no port within a minute, with its log's tail
     */
    public static NodeProcess start(Class<?> mainClass, String... args) {
        Path dir = ChildProcess.tempDir("pagewire-node-");
        NodeProcess node = new NodeProcess(dir, ChildProcess.start(commandLine(dir, mainClass, args),
                dir.resolve("node.log")));
        try {
            node.port = node.awaitPort();
            return node;
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    /** The port the node listens on, on localhost. */
    public int port() {
        return port;
    }

    /** Whether the process is running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** Its stdout and stderr so far, for a failure message. */
    public String log() {
        return process.log();
    }

    /** Kills the node with SIGKILL and waits for its end. */
    public void kill() {
        process.kill();
    }

    /** Kills the node (if it still runs) and deletes its folder. */
    @Override
    public void close() {
        try {
            process.kill();
        } finally {
            ChildProcess.deleteTree(dir);
        }
    }

    private int awaitPort() {
        try {
            Wait.until("port=N from the node", START_SECONDS, () -> !process.isAlive() || printedPort() > 0);
        } catch (AssertionError e) {
            throw process.failure(e.getMessage());
        }
        if (!process.isAlive()) {
            throw process.failure("the node ended with status " + process.awaitExit(1) + " before it listened");
        }
        return printedPort();
    }

    private int printedPort() {
        Matcher m = PORT_LINE.matcher(process.log());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static List<String> commandLine(Path dir, Class<?> mainClass, String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "-Djava.io.tmpdir=" + dir,
                // small and quick to start: several nodes share two cores in CI
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", mainClass.getName()));
        line.addAll(List.of(args));
        return line;
    }
}
