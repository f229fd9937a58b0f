package dev.pagewire.bench;

import dev.pagewire.bench.load.RedisProcess;
import dev.pagewire.bench.load.RpcLoad;
import dev.pagewire.bench.load.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark driver: {@code rpc}, {@code push}, {@code cluster} or {@code jmh}. For every round it starts each
 * target in a fresh JVM ({@code BenchServer}) in turn, loads it from this process (loopback
 * only), stops it, and alternates the targets' order between rounds; then it prints medians and
 * Pagewire/baseline ratios and writes them, with every raw line, to a dated results file.
 * Options are {@code --name value}; see docs/BENCHMARKS.md.
 */
public final class Bench {
    private final Map<String, String> options;
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
    private final List<String> raw = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private Path logDir;

    private Bench(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("rpc", "push", "cluster", "jmh", "jfr").contains(args[0])) {
            System.err.println("usage: Bench rpc|push|cluster|jmh [--option value ...] | jfr FILE.jfr [PATTERN]   (see docs/BENCHMARKS.md)");
            System.exit(2);
        }
        if (args[0].equals("jfr")) {
            JfrSummary.print(Path.of(args[1]), args.length > 2 ? args[2] : "pagewire|coyote|catalina|tomcat");
            return;
        }
        if (args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Bench bench = new Bench(options);
        boolean ok = switch (args[0]) {
            case "rpc" -> bench.rpc();
            case "cluster" -> new ClusterRun(bench).run();
            default -> bench.push();
        };
        System.exit(ok ? 0 : 1);
    }

    String opt(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    int intOpt(String name, int fallback) {
        return Integer.parseInt(opt(name, Integer.toString(fallback)));
    }

    List<String> listOpt(String name, String fallback) {
        return List.of(opt(name, fallback).split("[, ]+"));
    }

    List<String> serverJvm() {
        return List.of(opt("server-jvm", "-Xms64m -Xmx1g").split(" +"));
    }

    void out(String line) {
        System.out.println(line);
        System.out.flush();
        report.append(line).append('\n');
    }

    void rawLine(String line) {
        raw.add(line);
        System.out.println("  " + line);
        System.out.flush();
    }

    Path logDir() throws IOException {
        if (logDir == null) {
            Path base = Files.createDirectories(Path.of(opt("logs", "bench/target/bench-logs")));
            for (int i = 1; logDir == null; i++) {
                try {
                    logDir = Files.createDirectory(base.resolve(stamp + (i == 1 ? "" : "-" + i)));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run started in the same minute: never mix or overwrite its logs
                }
            }
        }
        return logDir;
    }

    /**
     * {@code dir/name.txt}, or {@code name-2.txt}, ... when a run started in the same minute (two
     * sessions benchmarking at once) already wrote that name: created atomically, never overwritten.
     */
    static Path newFile(Path dir, String name) throws IOException {
        for (int i = 1; ; i++) {
            try {
                return Files.createFile(dir.resolve(name + (i == 1 ? "" : "-" + i) + ".txt"));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: try the next suffix
            }
        }
    }

    // ------------------------------------------------------------------ RPC

    boolean rpc() throws Exception {
        int rounds = intOpt("rounds", 2);
        int slices = intOpt("slices", 8);
        int secs = intOpt("secs", 3);
        int settle = intOpt("settle", 1);
        int warmup = intOpt("warmup", 10);
        int conns = intOpt("conns", 64);
        int threads = intOpt("client-threads", 2);
        int batch = intOpt("batch", 10);
        int port = intOpt("port", 18090);
        List<String> targets = listOpt("targets", "pagewire,baseline");
        List<String> variants = new ArrayList<>(listOpt("variants", "floor,single,batch"));
        List<String> extra = listOpt("server-args", "--connector default").stream().filter(s -> !s.isEmpty()).toList();
        header("rpc", String.format(Locale.ROOT, "RPC: %d rounds, each with a fresh server JVM per target, all"
                        + " targets up at once; per variant: %d s warm-up per target (every reply checked), then %d"
                        + " slices per target, interleaved (A B, B A, ...): %d s settling (checked) + %d s measured each;"
                        + " %d keep-alive connections on %d client threads (closed loop); server JVM %s; server args %s",
                rounds, warmup, slices, settle, secs, conns, threads, serverJvm(), extra));
        boolean ok = true;
        for (int r = 1; r <= rounds; r++) {
            List<ServerProcess> servers = new ArrayList<>();
            try (RedisProcess redis = startRedis(targets)) {
                for (int i = 0; i < targets.size(); i++) {
                    servers.add(ServerProcess.start(targets.get(i), port + i, serverJvm(), serverArgs(targets.get(i),
                            extra, redis), logDir().resolve("rpc-" + targets.get(i) + "-r" + r + ".log")));
                }
                for (String variant : variants) {
                    String name = variant.equals("batch") ? "batch" + batch : variant;
                    int calls = variant.equals("batch") ? batch : 1;
                    for (int i = 0; i < targets.size(); i++) {
                        RpcLoad.Result w = load(targets.get(i), variant, port + i, calls)
                                .run(conns, threads, warmup * 1000L, 500, () -> { }, () -> { });
                        if (w.checked() == 0 || w.badReplies() > 0 || w.errors() > 0) {
                            ok = false;
                            System.err.println("FAILED check in warm-up: " + targets.get(i) + " " + name);
                        }
                    }
                    for (int slice = 1; slice <= slices; slice++) {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < targets.size(); i++) {
                            order.add(i);
                        }
                        if ((slice + r) % 2 == 1) {
                            java.util.Collections.reverse(order);
                        }
                        for (int i : order) {
                            ok &= measure(r, slice, targets.get(i), name, servers.get(i), port + i, variant, calls,
                                    conns, threads, settle, secs);
                        }
                    }
                }
            } finally {
                servers.forEach(ServerProcess::close);
            }
        }
        rpcTable(targets, variants.stream().map(v -> v.equals("batch") ? "batch" + batch : v).toList());
        writeResults("rpc");
        return ok;
    }

    private static RpcLoad load(String target, String variant, int port, int calls) {
        boolean pagewire = target.startsWith("pagewire");
        RpcLoad.Kind kind = variant.equals("floor") ? RpcLoad.Kind.FLOOR
                : variant.equals("socket") ? (pagewire ? RpcLoad.Kind.PAGEWIRE_SOCKET : RpcLoad.Kind.BASELINE_SOCKET)
                : pagewire ? RpcLoad.Kind.PAGEWIRE : RpcLoad.Kind.BASELINE;
        return new RpcLoad("127.0.0.1", port, kind, calls);
    }

    private boolean measure(int round, int slice, String target, String name, ServerProcess server, int port,
                            String variant, int calls, int conns, int threads, int settle, int secs) throws Exception {
        AtomicLong alloc0 = new AtomicLong(-1);
        AtomicLong alloc1 = new AtomicLong(-1);
        AtomicLong cpu0 = new AtomicLong(-1);
        AtomicLong cpu1 = new AtomicLong(-1);
        RpcLoad.Result res = load(target, variant, port, calls).run(conns, threads, settle * 1000L, secs * 1000L,
                () -> {
                    cpu0.set(server.cpuMicros());
                    alloc0.set(allocated(server));
                },
                () -> {
                    cpu1.set(server.cpuMicros());
                    alloc1.set(allocated(server));
                });
        long allocPerRequest = alloc0.get() < 0 || alloc1.get() < 0 || res.requests() == 0 ? -1
                : (alloc1.get() - alloc0.get()) / res.requests();
        double cpuPerRequest = cpu0.get() < 0 || cpu1.get() < 0 || res.requests() == 0 ? -1
                : (cpu1.get() - cpu0.get()) / (double) res.requests();
        rawLine(String.format(Locale.ROOT, "RPC round=%d slice=%d target=%s variant=%s calls_per_s=%.0f "
                        + "req_per_s=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d checked=%d "
                        + "bad_replies=%d reconnects=%d alloc_per_req=%d server_cpu_us_per_req=%.1f loadavg=%s",
                round, slice, target, name, res.callsPerSecond(), res.requestsPerSecond(), res.p50(), res.p90(),
                res.p99(), res.max(), res.errors(), res.checked(), res.badReplies(), res.reconnects(),
                allocPerRequest, cpuPerRequest, loadavg()));
        if (res.badReplies() > 0 || res.errors() > 0) {
            System.err.println("FAILED: " + target + " " + name + " round " + round + " slice " + slice);
            return false;
        }
        return true;
    }

    static long allocated(ServerProcess server) {
        try {
            return ServerProcess.figure(server.get("/bench/alloc"), "allocated");
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    private void rpcTable(List<String> targets, List<String> variants) {
        out("");
        out("| target | variant | calls/s | req/s | p50 ms | p99 ms | alloc/request KB | server CPU µs/request |");
        out("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String v : variants) {
            for (String t : targets) {
                List<String> sel = select("RPC", "target=" + t, "variant=" + v);
                out(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.1f | %.1f |", t, v,
                        median(sel, "calls_per_s"), median(sel, "req_per_s"), median(sel, "p50_us") / 1000,
                        median(sel, "p99_us") / 1000, median(sel, "alloc_per_req") / 1024,
                        median(sel, "server_cpu_us_per_req")));
            }
        }
        if (variants.contains("socket") && variants.contains("single")) {
            out("");
            out("One call per WebSocket frame against one call per HTTP request, same target, slice by slice:");
            out("");
            out("| target | calls/s socket/single | p99 socket/single | server CPU/call socket/single |");
            out("| --- | --- | --- | --- |");
            for (String t : targets) {
                out("| " + t + " | " + variantRatios(t, "socket", "single", "calls_per_s") + " | "
                        + variantRatios(t, "socket", "single", "p99_us") + " | "
                        + variantRatios(t, "socket", "single", "server_cpu_us_per_req") + " |");
            }
        }
        for (List<String> pair : List.of(List.of("pagewire", "baseline"), List.of("pagewire-redis", "pagewire"))) {
            if (!targets.containsAll(pair)) {
                continue;
            }
            out("");
            out("Ratios " + pair.get(0) + "/" + pair.get(1) + ": median of the ratios of paired slices (same round,"
                    + " adjacent in time), and in brackets the lowest and highest pair:");
            out("");
            out("| variant | calls/s | p50 | p99 | alloc/request | server CPU/request |");
            out("| --- | --- | --- | --- | --- | --- |");
            for (String v : variants) {
                StringBuilder row = new StringBuilder("| " + v + " |");
                for (String key : List.of("calls_per_s", "p50_us", "p99_us", "alloc_per_req", "server_cpu_us_per_req")) {
                    row.append(' ').append(ratios("RPC", v, key, pair.get(0), pair.get(1))).append(" |");
                }
                out(row.toString());
            }
        }
    }

    /**
     * "median (lowest-highest, pairs)" of the ratios of {@code target}'s {@code key} in variant
     * {@code a} to its {@code key} in variant {@code b}, slice by slice of the same round.
     */
    String variantRatios(String target, String a, String b, String key) {
        List<Double> per = new ArrayList<>();
        for (String line : select("RPC", "target=" + target, "variant=" + a)) {
            for (String other : select("RPC", "target=" + target, "variant=" + b)) {
                if (value(line, "round").equals(value(other, "round")) && value(line, "slice").equals(value(other, "slice"))) {
                    double x = Double.parseDouble(value(line, key));
                    double y = Double.parseDouble(value(other, key));
                    if (x >= 0 && y > 0) {
                        per.add(x / y);
                    }
                }
            }
        }
        return per.isEmpty() ? "n/a" : String.format(Locale.ROOT, "**%.2f** (%.2f-%.2f, %d pairs)", medianOf(per),
                java.util.Collections.min(per), java.util.Collections.max(per), per.size());
    }

    /** "median (r1 / r2 / r3)" of per-round pagewire/baseline ratios. */
    String ratios(String kind, String variantOrN, String key) {
        return ratios(kind, variantOrN, key, "pagewire", "baseline");
    }

    /** "median (lowest-highest, pairs)" of the per-slice ratios of target {@code a} to target {@code b}. */
    String ratios(String kind, String variantOrN, String key, String a, String b) {
        List<Double> per = new ArrayList<>();
        for (String line : raw) {
            if (!line.startsWith(kind + " ") || !line.contains("target=" + a + " ")
                    || !(line.contains(" variant=" + variantOrN + " ") || line.contains(" n=" + variantOrN + " "))) {
                continue;
            }
            String round = value(line, "round") + "/" + value(line, "slice");
            String mode = value(line, "mode");
            for (String other : raw) {
                if (other.startsWith(kind + " ") && other.contains("target=" + b + " ")
                        && round.equals(value(other, "round") + "/" + value(other, "slice")) && (mode == null || mode.equals(value(other, "mode")))
                        && (other.contains(" variant=" + variantOrN + " ") || other.contains(" n=" + variantOrN + " "))) {
                    double x = Double.parseDouble(value(line, key));
                    double y = Double.parseDouble(value(other, key));
                    if (x >= 0 && y > 0) {
                        per.add(x / y);
                    }
                }
            }
        }
        if (per.isEmpty()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "**%.2f** (%.2f-%.2f, %d pairs)", medianOf(per),
                java.util.Collections.min(per), java.util.Collections.max(per), per.size());
    }

    // ------------------------------------------------------------------ push

    boolean push() throws Exception {
        return new PushRun(this).run();
    }

    // ------------------------------------------------------------------ shared

    /**
     * A redis-server of the run's own when {@code targets} has {@code pagewire-redis} and no
     * {@code PAGEWIRE_REDIS} names one; else null.
     */
    static RedisProcess startRedis(List<String> targets) throws IOException, InterruptedException {
        String given = System.getenv("PAGEWIRE_REDIS");
        return targets.contains("pagewire-redis") && (given == null || given.isBlank()) ? RedisProcess.start() : null;
    }

    /** {@code extra}, and for {@code pagewire-redis} the run's own Redis if it has one. */
    static List<String> serverArgs(String target, List<String> extra, RedisProcess redis) {
        if (redis == null || !target.equals("pagewire-redis")) {
            return extra;
        }
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("--redis", redis.uri()));
        return args;
    }

    void header(String what, String settings) throws IOException {
        out("# Pagewire benchmark: " + what + ", " + stamp.replaceFirst("-(\\d\\d)(\\d\\d)$", " $1:$2"));
        out("");
        out("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + memTotal() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; JDK "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber() + "; load average at start "
                + loadavg() + "; git " + git());
        out("Settings: " + settings);
        out("Command: Bench " + what + " " + options);
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return String.format(Locale.ROOT, "%.0f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "? GiB";
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String git() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return s;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    void writeResults(String what) throws IOException {
        Path dir = Files.createDirectories(Path.of(opt("results", "bench/results")));
        Path file = newFile(dir, stamp + "-" + what);
        StringBuilder b = new StringBuilder(report);
        b.append("\nRaw lines (one per target, variant and round; latencies in microseconds):\n\n");
        raw.forEach(l -> b.append(l).append('\n'));
        b.append("\nServer logs: ").append(logDir()).append(" (not kept in git)\n");
        Files.writeString(file, b.toString());
        System.out.println("\nwritten: " + file);
    }

    List<String> select(String kind, String... parts) {
        List<String> out = new ArrayList<>();
        for (String line : raw) {
            if (!line.startsWith(kind + " ")) {
                continue;
            }
            boolean all = true;
            for (String p : parts) {
                all &= (" " + line + " ").contains(" " + p + " ");
            }
            if (all) {
                out.add(line);
            }
        }
        return out;
    }

    static String value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        return null;
    }

    /**
     * "**median** (round 1 / round 2 / ...)": the ratio (or the difference) of {@code key} in each
     * line of {@code as} to the line of {@code bs} from the same round; "n/a" without a pair.
     */
    static String perRound(List<String> as, List<String> bs, String key, boolean difference) {
        List<Double> per = new ArrayList<>();
        for (String a : as) {
            for (String b : bs) {
                String x = value(a, key);
                String y = value(b, key);
                if (value(a, "round").equals(value(b, "round")) && x != null && y != null) {
                    double dx = Double.parseDouble(x);
                    double dy = Double.parseDouble(y);
                    per.add(difference ? dx - dy : dx / dy);
                }
            }
        }
        if (per.isEmpty()) {
            return "n/a";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "**%.2f** (", medianOf(per)));
        for (int i = 0; i < per.size(); i++) {
            s.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", per.get(i)));
        }
        return s.append(')').toString();
    }

    static double median(List<String> lines, String key) {
        List<Double> v = new ArrayList<>();
        for (String l : lines) {
            String s = value(l, key);
            if (s != null && !s.equals("NaN")) {
                v.add(Double.parseDouble(s));
            }
        }
        return v.isEmpty() ? Double.NaN : medianOf(v);
    }

    static double max(List<String> lines, String key) {
        double m = Double.NaN;
        for (String l : lines) {
            String s = value(l, key);
            if (s != null) {
                double d = Double.parseDouble(s);
                m = Double.isNaN(m) ? d : Math.max(m, d);
            }
        }
        return m;
    }

    static double medianOf(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static Map<String, String> orderedMap() {
        return new LinkedHashMap<>();
    }
}
