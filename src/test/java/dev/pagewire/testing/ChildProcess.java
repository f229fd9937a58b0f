package dev.pagewire.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A process a test started ({@link RedisServer}, {@link NodeProcess}), its stdout and stderr
 * appended to a log file whose last lines go into every failure about it.
 *
 * <p>{@link #kill()} is SIGKILL: on Linux {@link Process#destroyForcibly()} sends it, which the exit
 * status 137 (128 + 9) proves, and {@code kill()} checks that status. A process still running when
 * this JVM exits is killed by a shutdown hook, so a test that forgot to close one leaves no orphan.
 */
final class ChildProcess {
    /** The exit status of a process ended by SIGKILL (128 + signal 9). */
    static final int KILLED_STATUS = 137;
    private static final int TAIL_LINES = 40;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "child-process-reaper"));
    }

    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in the current folder, its output appended to {@code log}. */
    static ChildProcess start(List<String> command, Path log) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            RUNNING.add(process);
            return new ChildProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** The process itself (closing its stdin tells a child that watches it to end). */
    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGKILL and waits for the exit; nothing when the process has already ended. */
    void kill() {
        if (!process.isAlive()) {
            RUNNING.remove(process);
            return;
        }
        process.destroyForcibly();
        int status = awaitExit(10);
        if (status != KILLED_STATUS) {
            throw failure("process " + process.pid() + " ended with status " + status + ", not SIGKILL's "
                    + KILLED_STATUS);
        }
    }

    /**
     * Waits up to {@code seconds} until {@code ready} holds (a server answering on its port) or the
     * process ends. Returns true when it runs and is ready, false when it ended because its port was
     * taken ("Address already in use" in its log), so that the caller tries another port.
     *
     * @throws AssertionError when it ends for another reason or is not ready in time, with its log's tail
     */
    boolean awaitListening(String what, int seconds, BooleanSupplier ready) {
        try {
            Wait.until(what, seconds, () -> !process.isAlive() || ready.getAsBoolean());
        } catch (AssertionError e) {
            throw failure(e.getMessage());
        }
        if (process.isAlive()) {
            return true;
        }
        if (log().contains("Address already in use")) {
            return false;
        }
        throw failure("process " + process.pid() + " ended at start with status " + awaitExit(1));
    }

    /** A port that was free on the loopback address a moment ago, for a process to listen on. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to {@code seconds} for the process to end and returns its exit status. */
    int awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw failure("process " + process.pid() + " still running after " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    /** The log so far, empty when there is none yet. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** An assertion error saying {@code message}, followed by the last lines of the log. */
    AssertionError failure(String message) {
        List<String> lines = log().lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return new AssertionError(message + "\n--- last " + tail.size() + " lines of " + log + " ---\n"
                + String.join("\n", tail));
    }

    /** A new temporary folder whose name starts with {@code prefix}, for a process's files. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and everything below it; nothing when it is gone already. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
