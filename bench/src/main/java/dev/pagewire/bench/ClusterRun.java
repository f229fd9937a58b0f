package dev.pagewire.bench;

import dev.pagewire.bench.load.PushLoad;
import dev.pagewire.bench.load.RedisProcess;
import dev.pagewire.bench.load.ServerProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code Bench cluster}: Pagewire on several nodes with Redis, against one in-memory node, in one
 * run. For every round, N and mode (Comet, SSE) three layouts in turn, each in fresh JVMs and,
 * on Redis, a fresh {@code redis-server} of the run's own ({@link RedisProcess}):
 * <ul>
 * <li>{@code memory}: one node in memory with N parked pages;</li>
 * <li>{@code redis-1}: one node on Redis with N parked pages;</li>
 * <li>{@code redis-2}: two nodes on one Redis with N parked pages each, every page's handshake
 * and requests on one node (one load generator per node, both in this process).</li>
 * </ul>
 * Each broadcast is made on the first node only; a page has it when its token arrives. Around
 * each measured broadcast Redis's own {@code INFO commandstats} and {@code INFO cpu} are read:
 * before the trigger and after every page is parked again (so a Comet page's acknowledgement
 * that rides on its next poll is counted). Last, per N, Redis's {@code used_memory} per idle
 * page (N pages hand-shaken on one node, then idle) and per page with one unacknowledged
 * targeted update.
 *
 * <p><b>Threading.</b> The driver's thread runs everything; each load generator has its own
 * selector thread and is only read through its counters.
 */
final class ClusterRun {
    private static final List<String> LAYOUTS = List.of("memory", "redis-1", "redis-2");
    private final Bench bench;

    ClusterRun(Bench bench) {
        this.bench = bench;
    }

    boolean run() throws Exception {
        int rounds = bench.intOpt("rounds", 2);
        List<String> ns = bench.listOpt("ns", "1000,9000");
        List<String> modes = bench.listOpt("modes", "comet,sse");
        List<String> jvm = List.of(bench.opt("server-jvm", "-Xms256m -Xmx3g").split(" +"));
        List<String> extra = bench.listOpt("server-args", "--connector lean").stream().filter(s -> !s.isEmpty()).toList();
        for (String mode : modes) {
            if (!List.of("comet", "sse").contains(mode)) {
                throw new IllegalArgumentException("cluster runs take the modes comet and sse (got " + mode + ")");
            }
        }
        bench.header("cluster", String.format(Locale.ROOT, "several nodes on Redis: %d rounds; N=%s pages per node;"
                        + " modes %s; layouts memory (1 node in memory, N pages), redis-1 (1 node on Redis, N pages),"
                        + " redis-2 (2 nodes on one Redis, N pages each, each page's requests on one node); a fresh"
                        + " redis-server (appendonly yes, appendfsync everysec, save '') per layout run; %d warm-up"
                        + " broadcasts then %d measured, all made on the first node; latency = trigger sent -> token"
                        + " seen, over every page of every node; missed = not seen within %d s; Redis commands and CPU"
                        + " per broadcast: INFO deltas from before the trigger to all pages parked again (INFO itself"
                        + " not counted), the broadcasts with the fewest commands (a housekeeping touch of every parked page"
                        + " may fall into a window: all counts are in the raw lines); server JVM %s; server args %s",
                rounds, ns, modes, bench.intOpt("warmups", 2), bench.intOpt("broadcasts", 3),
                bench.intOpt("timeout", 30), jvm, extra));
        boolean ok = true;
        for (int r = 1; r <= rounds; r++) {
            for (String n : ns) {
                for (String mode : modes) {
                    List<String> order = new ArrayList<>(LAYOUTS);
                    if (r % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (String layout : order) {
                        ok &= fanOut(r, Integer.parseInt(n), mode, layout, jvm, extra);
                    }
                }
            }
        }
        for (String n : ns) {
            ok &= memory(Integer.parseInt(n), jvm, extra);
        }
        table(ns, modes);
        bench.writeResults("cluster");
        return ok;
    }

    /** The nodes of one layout run and their load generators; closes them all. */
    private static final class Nodes implements AutoCloseable {
        final RedisProcess redis;
        final List<ServerProcess> servers = new ArrayList<>();
        final List<PushLoad> loads = new ArrayList<>();

        Nodes(RedisProcess redis) {
            this.redis = redis;
        }

        int received() {
            return loads.stream().mapToInt(PushLoad::received).sum();
        }

        int parked() throws Exception {
            int parked = 0;
            for (ServerProcess s : servers) {
                parked += (int) ServerProcess.figure(s.get("/bench/stats"), "parked");
            }
            return parked;
        }

        long cpuMicros() {
            return servers.stream().mapToLong(ServerProcess::cpuMicros).sum();
        }

        double[] latenciesMillis(long since) {
            double[] all = loads.stream().flatMapToDouble(l -> Arrays.stream(l.latenciesMillis(since))).toArray();
            Arrays.sort(all);
            return all;
        }

        @Override
        public void close() throws Exception {
            for (PushLoad l : loads) {
                l.close();
            }
            servers.forEach(ServerProcess::close);
            if (redis != null) {
                redis.close();
            }
        }
    }

    private Nodes start(String layout, int pagesPerNode, PushLoad.Mode mode, long callMillis, List<String> jvm,
                        List<String> extra, String logName) throws Exception {
        boolean onRedis = !layout.equals("memory");
        Nodes nodes = new Nodes(onRedis ? RedisProcess.start() : null);
        try {
            int port = bench.intOpt("port", 18093);
            for (int i = 0; i < (layout.equals("redis-2") ? 2 : 1); i++) {
                List<String> args = new ArrayList<>(extra);
                if (onRedis) {
                    args.addAll(List.of("--redis", nodes.redis.uri()));
                }
                nodes.servers.add(ServerProcess.start(onRedis ? "pagewire-redis" : "pagewire", port + i, jvm, args,
                        bench.logDir().resolve(logName + "-node" + (i + 1) + ".log")));
                nodes.loads.add(new PushLoad("127.0.0.1", port + i, true, mode, pagesPerNode,
                        bench.intOpt("ramp", 200), callMillis));
            }
            return nodes;
        } catch (Exception e) {
            nodes.close();
            throw e;
        }
    }

    private boolean fanOut(int round, int n, String mode, String layout, List<String> jvm, List<String> extra)
            throws Exception {
        String label = String.format(Locale.ROOT, "CLUSTER round=%d n=%d mode=%s layout=%s", round, n, mode, layout);
        int warmups = bench.intOpt("warmups", 2);
        int measured = bench.intOpt("broadcasts", 3);
        int timeout = bench.intOpt("timeout", 30);
        System.out.println(label);
        try (Nodes nodes = start(layout, n, PushLoad.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), 0, jvm, extra,
                "cluster-" + layout + "-" + mode + "-n" + n + "-r" + round)) {
            int total = n * nodes.servers.size();
            long t0 = System.nanoTime();
            nodes.loads.forEach(PushLoad::start);
            int unparked = total - waitSetUp(nodes, total, bench.intOpt("setup-timeout", 300));
            if (unparked == total) {
                bench.rawLine(label + " failed=setup parked=0 io_errors="
                        + nodes.loads.stream().mapToInt(PushLoad::ioErrors).sum());
                return false;
            }
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            List<Double> p50s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            List<Double> maxes = new ArrayList<>();
            List<Double> serverCpus = new ArrayList<>();
            List<Double> commands = new ArrayList<>();
            List<Double> redisCpus = new ArrayList<>();
            Map<String, Long> lastByCommand = Map.of();
            int missed = 0;
            for (int b = 0; b < warmups + measured; b++) {
                waitParked(nodes, total - unparked, 30);
                Thread.sleep(500);
                String token = "bc" + runId + "x" + b;
                nodes.loads.forEach(l -> l.watch(token));
                Map<String, Long> calls0 = nodes.redis == null ? Map.of() : nodes.redis.commandCalls();
                double redisCpu0 = nodes.redis == null ? 0 : nodes.redis.cpuMillis();
                long cpu0 = nodes.cpuMicros();
                long trigger = System.nanoTime();
                nodes.servers.get(0).post("/bench/broadcast?id=" + token);
                long limit = trigger + timeout * 1_000_000_000L;
                while (nodes.received() < total && System.nanoTime() < limit) {
                    Thread.sleep(1);
                }
                double[] lat = nodes.latenciesMillis(trigger);
                waitParked(nodes, total - unparked, 30);
                Thread.sleep(200); // acknowledgements sent without waiting reach Redis
                long cpu1 = nodes.cpuMicros();
                Map<String, Long> byCommand = nodes.redis == null ? Map.of() : delta(calls0, nodes.redis.commandCalls());
                double redisCpu = nodes.redis == null ? Double.NaN : nodes.redis.cpuMillis() - redisCpu0;
                long commandCount = byCommand.values().stream().mapToLong(Long::longValue).sum();
                double max = lat.length == 0 ? Double.NaN : lat[lat.length - 1];
                System.out.println(String.format(Locale.ROOT, "    broadcast %d%s: p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
                                + " missed=%d server_cpu_ms=%.0f redis_commands=%d %s redis_cpu_ms=%.1f", b,
                        b < warmups ? " (warm-up)" : "", PushLoad.pct(lat, 50), PushLoad.pct(lat, 99), max,
                        total - lat.length, (cpu1 - cpu0) / 1000.0, commandCount, byCommand, redisCpu));
                if (b >= warmups) {
                    p50s.add(PushLoad.pct(lat, 50));
                    p99s.add(PushLoad.pct(lat, 99));
                    maxes.add(max);
                    serverCpus.add((cpu1 - cpu0) / 1000.0);
                    commands.add((double) commandCount);
                    redisCpus.add(redisCpu);
                    if (commandCount <= commands.stream().mapToDouble(Double::doubleValue).min().orElse(commandCount)) {
                        lastByCommand = byCommand;
                    }
                    missed = Math.max(missed, total - lat.length);
                }
            }
            // A window that the housekeeper's touch of every parked page (one FCALL, a few commands
            // per page) falls into is not the broadcast's own cost: take the broadcasts with the
            // fewest commands for the per-broadcast figures, and keep every count in the raw line.
            double fewest = Collections.min(commands);
            List<Double> ownCpu = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                if (commands.get(i) == fewest) {
                    ownCpu.add(redisCpus.get(i));
                }
            }
            double redisCpu = Bench.medianOf(ownCpu);
            bench.rawLine(String.format(Locale.ROOT, "%s nodes=%d pages=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f missed=%d"
                            + " p99s=%s server_cpu_ms=%.0f redis_commands=%.0f redis_commands_each=%s redis_commands_by=%s redis_cpu_ms=%.2f"
                            + " redis_cpu_ms_per_1000=%.3f setup_s=%.1f unparked=%d io_errors=%d loadavg=%s", label,
                    nodes.servers.size(), total, Bench.medianOf(p50s), Bench.medianOf(p99s), Bench.medianOf(maxes),
                    missed, p99s.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).collect(Collectors.joining("/")),
                    Bench.medianOf(serverCpus), fewest, commands.stream().map(d -> String.format(Locale.ROOT, "%.0f", d))
                            .collect(Collectors.joining("/")), compact(lastByCommand), redisCpu,
                    redisCpu / (total / 1000.0), setupSeconds, unparked, nodes.loads.stream().mapToInt(PushLoad::ioErrors).sum(),
                    Bench.loadavg()));
            return missed == 0;
        }
    }

    /**
     * Redis's {@code used_memory} per page: one node on a fresh Redis, N pages hand-shaken and
     * then idle (passive pages whose next call is hours away), then one targeted push to each
     * page, which stays in Redis unacknowledged.
     */
    private boolean memory(int n, List<String> jvm, List<String> extra) throws Exception {
        String label = "MEMORY pages=" + n;
        System.out.println(label);
        try (Nodes nodes = start("redis-1", n, PushLoad.Mode.PASSIVE, 24 * 3_600_000L, jvm, extra,
                "cluster-memory-n" + n)) {
            ServerProcess server = nodes.servers.get(0);
            PushLoad load = nodes.loads.get(0);
            long before = nodes.redis.usedMemory();
            load.start();
            long limit = System.nanoTime() + bench.intOpt("setup-timeout", 240) * 1_000_000_000L;
            while (load.setUp() < n && System.nanoTime() < limit) {
                Thread.sleep(100);
            }
            if (load.setUp() < n) {
                bench.rawLine(label + " failed=setup set_up=" + load.setUp());
                return false;
            }
            Thread.sleep(1_000);
            long idle = nodes.redis.usedMemory();
            Map<String, Long> calls0 = nodes.redis.commandCalls();
            String reply = server.post("/bench/each?id=pending");
            Thread.sleep(1_000);
            long pending = nodes.redis.usedMemory();
            Map<String, Long> byCommand = delta(calls0, nodes.redis.commandCalls());
            bench.rawLine(String.format(Locale.ROOT, "%s used_memory_before=%d used_memory_idle=%d"
                            + " used_memory_pending=%d idle_bytes_per_page=%.0f pending_bytes_per_page=%.0f"
                            + " targeted_pushes=%s push_commands_by=%s keys=%s loadavg=%s", label, before, idle, pending,
                    (idle - before) / (double) n, (pending - before) / (double) n,
                    ServerProcess.figure(reply, "targets"), compact(byCommand),
                    nodes.redis.info("keyspace").values().stream().findFirst().orElse("none").replace(',', ';'),
                    Bench.loadavg()));
            return true;
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((command, calls) -> {
            long n = calls - before.getOrDefault(command, 0L);
            if (n > 0 && !command.equals("info")) {
                d.put(command, n);
            }
        });
        return d;
    }

    private static String compact(Map<String, Long> byCommand) {
        return byCommand.isEmpty() ? "none" : byCommand.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    /**
     * Waits until all {@code total} pages are parked, or no more have parked for 30 s, or {@code
     * seconds} passed; returns how many are parked. Pages that never parked still count: they miss
     * every broadcast.
     */
    private static int waitSetUp(Nodes nodes, int total, int seconds) throws Exception {
        long limit = System.nanoTime() + seconds * 1_000_000_000L;
        int parked = nodes.parked();
        long progressAt = System.nanoTime();
        while (parked < total && System.nanoTime() < limit && System.nanoTime() - progressAt < 30_000_000_000L) {
            Thread.sleep(100);
            int now = nodes.parked();
            if (now > parked) {
                progressAt = System.nanoTime();
            }
            parked = now;
        }
        return parked;
    }

    private static boolean waitParked(Nodes nodes, int total, int seconds) throws Exception {
        long limit = System.nanoTime() + seconds * 1_000_000_000L;
        while (nodes.parked() < total && System.nanoTime() < limit) {
            Thread.sleep(50);
        }
        return nodes.parked() >= total;
    }

    private void table(List<String> ns, List<String> modes) {
        bench.out("");
        bench.out("Fan-out (medians over rounds of each run's median over its measured broadcasts; missed: the worst):");
        bench.out("");
        bench.out("| N per node | mode | layout | pages | p50 ms | p99 ms | max ms | missed | server CPU ms/broadcast "
                + "| Redis commands/broadcast (fewest) | Redis CPU ms/broadcast | Redis CPU ms per 1,000 deliveries | setup s |");
        bench.out("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String n : ns) {
            for (String mode : modes) {
                for (String layout : LAYOUTS) {
                    List<String> sel = bench.select("CLUSTER", "n=" + n, "mode=" + mode, "layout=" + layout);
                    bench.out(String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f "
                                    + "| %.2f | %.3f | %.1f |", n, mode, layout, Bench.median(sel, "pages"),
                            Bench.median(sel, "p50_ms"), Bench.median(sel, "p99_ms"), Bench.median(sel, "max_ms"),
                            Bench.max(sel, "missed"), Bench.median(sel, "server_cpu_ms"),
                            Bench.median(sel, "redis_commands"), Bench.median(sel, "redis_cpu_ms"),
                            Bench.median(sel, "redis_cpu_ms_per_1000"), Bench.median(sel, "setup_s")));
                }
            }
        }
        bench.out("");
        bench.out("Ratios to the in-memory node in the same round (p99; per round, then the median):");
        bench.out("");
        bench.out("| N per node | mode | redis-1 / memory p99 | redis-2 / memory p99 |");
        bench.out("| ---: | --- | --- | --- |");
        for (String n : ns) {
            for (String mode : modes) {
                bench.out("| " + n + " | " + mode + " | " + ratio(n, mode, "redis-1") + " | " + ratio(n, mode, "redis-2")
                        + " |");
            }
        }
        bench.out("");
        bench.out("Redis memory per page (used_memory delta / pages, one node):");
        bench.out("");
        bench.out("| pages | idle bytes/page | with one unacknowledged targeted update, bytes/page |");
        bench.out("| ---: | ---: | ---: |");
        for (String n : ns) {
            List<String> sel = bench.select("MEMORY", "pages=" + n);
            bench.out(String.format(Locale.ROOT, "| %s | %.0f | %.0f |", n, Bench.median(sel, "idle_bytes_per_page"),
                    Bench.median(sel, "pending_bytes_per_page")));
        }
    }

    private String ratio(String n, String mode, String layout) {
        return Bench.perRound(bench.select("CLUSTER", "n=" + n, "mode=" + mode, "layout=" + layout),
                bench.select("CLUSTER", "n=" + n, "mode=" + mode, "layout=memory"), "p99_ms", false);
    }
}
