package dev.pagewire.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark target in its own JVM ({@code BenchServer}), started from this jar and stopped by
 * its own process handle, never by name.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ServerProcess start(String target, int port, List<String> jvmOptions, List<String> extraArgs,
                                      Path log) throws IOException, InterruptedException {
        String jar = Path.of(URI.create(ServerProcess.class.getProtectionDomain().getCodeSource().getLocation()
                .toString())).toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", jar, "dev.pagewire.bench.server.BenchServer", "--target", target,
                "--port", Integer.toString(port)));
        cmd.addAll(extraArgs);
        ServerProcess s = new ServerProcess(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(), port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!s.process.isAlive()) {
                throw new IOException("target " + target + " exited at start; see " + log);
            }
            try {
                if (s.get("/bench/ready").startsWith("ok")) {
                    return s;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        s.close();
        throw new IOException("target " + target + " not ready after 60 s; see " + log);
    }

    /** CPU time the server process has used so far, in microseconds (-1 if unknown). */
    public long cpuMicros() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(-1L);
    }

    public long pid() {
        return process.pid();
    }

    public String get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120)).GET().build());
    }

    public String post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(request.uri() + ": " + r.statusCode());
        }
        return r.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A {@code key=value} figure of a control reply. */
    public static long figure(String reply, String key) {
        for (String part : reply.trim().split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return Long.parseLong(part.substring(key.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + key + " in " + reply);
    }

    @Override
    public void close() {
        stop(process);
    }

    /** SIGTERM, then SIGKILL if the process has not ended within 15 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
