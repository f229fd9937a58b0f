package dev.pagewire.bench;

import dev.pagewire.bench.load.PushLoad;
import dev.pagewire.bench.load.RedisProcess;
import dev.pagewire.bench.load.ServerProcess;
import dev.pagewire.bench.server.BenchServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code Bench push}: for every round, N and mode, each target in a fresh server JVM: park N
 * pages, send warm-up broadcasts, then the measured broadcasts (median over them); delivery latency per page, pages
 * that missed it, server heap after a full GC with every page parked (against the same server's
 * heap before any page came), RSS and threads.
 *
 * <p>The timed modes {@code polling} and {@code passive} park nothing: their delay is how long a
 * page waits for its next poll or call, so they report the distribution (p50/p90/p99/max, with
 * what uniform or exponential waiting predicts) and the server CPU that N idle pages cost per
 * second. Pagewire only: the baseline has neither transport.
 */
final class PushRun {
    private final Bench bench;

    PushRun(Bench bench) {
        this.bench = bench;
    }

    boolean run() throws Exception {
        int rounds = bench.intOpt("rounds", 3);
        List<String> ns = bench.listOpt("ns", "1000,5000");
        List<String> modes = bench.listOpt("modes", "comet,sse");
        List<String> targets = bench.listOpt("targets", "pagewire,baseline");
        if (!List.of("pagewire", "pagewire-again", "pagewire-redis", "pagewire-topic", "pagewire-topic-idle", "baseline",
                "baseline-get").containsAll(targets)) {
            throw new IllegalArgumentException("push runs take the targets pagewire, pagewire-again, pagewire-redis,"
                    + " pagewire-topic, pagewire-topic-idle, baseline and baseline-get (got " + targets + ")");
        }
        int port = bench.intOpt("port", 18091);
        int ramp = bench.intOpt("ramp", 200);
        int warmups = bench.intOpt("warmups", 2);
        int timeout = bench.intOpt("timeout", 30);
        int setupTimeout = bench.intOpt("setup-timeout", 180);
        List<String> jvm = List.of(bench.opt("server-jvm", "-Xms256m -Xmx4g").split(" +"));
        List<String> extra = bench.listOpt("server-args", "--connector default").stream().filter(s -> !s.isEmpty()).toList();
        for (String mode : modes) {
            PushLoad.Mode.valueOf(mode.toUpperCase(Locale.ROOT)); // an unknown mode fails here, not after the first runs
        }
        boolean anyTimed = modes.stream().anyMatch(PushRun::isTimed);
        bench.header("push", String.format(Locale.ROOT, "push fan-out: %d rounds; N=%s; modes %s; one HTTP/1.1"
                        + " connection and one HTTP session per page, all on one NIO selector thread, at most %d pages in"
                        + " setup at once; %d warm-up broadcasts then the measured ones; latency = trigger sent -> token"
                        + " seen by the page; per run the median over %d measured broadcasts (missed: the worst);"
                        + " missed = not seen within %d s; server JVM %s; server args %s",
                rounds, ns, modes, ramp, warmups, bench.intOpt("broadcasts", 3), timeout, jvm, extra)
                + (anyTimed ? String.format(Locale.ROOT, "; polling: pollInterval %d ms, first poll at a random"
                        + " offset within it; passive: one Echo.echo call after exponential pauses of mean %d ms;"
                        + " both: one interval (or mean pause) of settling before the broadcasts; after them one more,"
                        + " then %d s of idle server CPU;"
                        + " Pagewire only (the baseline has no polling or passive transport)",
                        bench.intOpt("poll-ms", 5000), bench.intOpt("call-ms", 2000), bench.intOpt("idle-secs", 10)) : ""));
        boolean ok = true;
        for (int r = 1; r <= rounds; r++) {
            for (String nText : ns) {
                int n = Integer.parseInt(nText);
                for (String mode : modes) {
                    if (isTimed(mode)) {
                        if (targets.contains("pagewire")) {
                            ok &= timed(r, n, mode, port, ramp, warmups, timeout, setupTimeout, jvm, extra);
                        } else {
                            System.out.println("  " + mode + " skipped: Pagewire only, and --targets has no pagewire");
                        }
                        continue;
                    }
                    List<String> order = new ArrayList<>(targets);
                    if (r % 2 == 0) {
                        Collections.reverse(order);
                    }
                    for (String target : order) {
                        if (target.equals("baseline-get") && !mode.equals("comet")) {
                            continue; // its stream is the baseline's
                        }
                        ok &= one(r, n, mode, target, port, ramp, warmups, timeout, setupTimeout, jvm, extra);
                    }
                }
            }
        }
        List<String> held = modes.stream().filter(m -> !isTimed(m)).toList();
        if (!held.isEmpty()) {
            table(ns, held, targets);
        }
        if (anyTimed) {
            timedTable(ns, modes.stream().filter(PushRun::isTimed).toList());
        }
        bench.writeResults("push");
        return ok;
    }

    private static boolean isTimed(String mode) {
        return mode.equals("polling") || mode.equals("passive");
    }

    /** Seconds between the last handshake and the idle measurement: every page has begun its cycle. */
    private int settleSeconds(String mode) {
        return (int) Math.ceil(bench.intOpt(mode.equals("polling") ? "poll-ms" : "call-ms",
                mode.equals("polling") ? 5000 : 2000) / 1000.0);
    }

    /**
     * One polling or passive run: N pages hand-shaken and cycling, the broadcasts (each page's
     * delay is how long it took to ask again), then the server's CPU over an idle window.
     */
    private boolean timed(int round, int n, String mode, int port, int ramp, int warmups, int timeout,
                          int setupTimeout, List<String> jvm, List<String> extra) throws Exception {
        int pollMillis = bench.intOpt("poll-ms", 5000);
        int callMillis = bench.intOpt("call-ms", 2000);
        int idleSeconds = bench.intOpt("idle-secs", 10);
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("--delivery-mode", mode));
        if (mode.equals("polling")) {
            args.addAll(List.of("--poll-ms", Integer.toString(pollMillis)));
        }
        Path log = bench.logDir().resolve("push-pagewire-" + mode + "-n" + n + "-r" + round + ".log");
        String label = String.format(Locale.ROOT, "PUSH round=%d n=%d mode=%s target=pagewire", round, n, mode);
        try (ServerProcess server = ServerProcess.start("pagewire", port, jvm, args, log);
             PushLoad load = new PushLoad("127.0.0.1", port, true, PushLoad.Mode.valueOf(mode.toUpperCase(Locale.ROOT)),
                     n, ramp, callMillis)) {
            String heap0 = server.get("/bench/heap");
            long t0 = System.nanoTime();
            load.start();
            long deadline = t0 + setupTimeout * 1_000_000_000L;
            while (load.setUp() < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            if (load.setUp() < n) {
                bench.rawLine(label + " failed=setup set_up=" + load.setUp() + " io_errors=" + load.ioErrors()
                        + " bad_status=" + load.badStatus());
                return false;
            }
            Thread.sleep(settleSeconds(mode) * 1000L);
            String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            int measured = bench.intOpt("broadcasts", 3);
            List<Double> p50s = new ArrayList<>();
            List<Double> p90s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            List<Double> maxes = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            int missed = 0;
            for (int b = 0; b < warmups + measured; b++) {
                Thread.sleep(500);
                String token = "bc" + runId + "x" + b;
                load.watch(token);
                long trigger = System.nanoTime();
                java.time.Instant triggeredAt = java.time.Instant.now();
                String reply = server.post("/bench/broadcast?id=" + token);
                double triggerMillis = (System.nanoTime() - trigger) / 1e6;
                long limit = trigger + timeout * 1_000_000_000L;
                while (load.received() < n && System.nanoTime() < limit) {
                    Thread.sleep(1);
                }
                double[] lat = load.latenciesMillis(trigger);
                double max = lat.length == 0 ? Double.NaN : lat[lat.length - 1];
                double mean = java.util.Arrays.stream(lat).average().orElse(Double.NaN);
                String line = String.format(Locale.ROOT, "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f"
                                + " missed=%d trigger_reply_ms=%.1f server_says=%s",
                        PushLoad.pct(lat, 50), PushLoad.pct(lat, 90), PushLoad.pct(lat, 99), max, mean,
                        n - lat.length, triggerMillis, reply.trim().replace(' ', ','));
                System.out.println("    broadcast " + b + (b < warmups ? " (warm-up)" : "") + ": " + line
                        + " at=" + triggeredAt); // wall clock, to line up with a JFR recording
                if (b >= warmups) {
                    p50s.add(PushLoad.pct(lat, 50));
                    p90s.add(PushLoad.pct(lat, 90));
                    p99s.add(PushLoad.pct(lat, 99));
                    maxes.add(max);
                    means.add(mean);
                    missed = Math.max(missed, n - lat.length);
                }
            }
            // Idle cost after the broadcasts, so the server's JIT has seen thousands of polls or
            // calls (measured right after setup it is several times higher), and one more interval
            // so every page has acknowledged the last broadcast and replies are empty again.
            Thread.sleep(settleSeconds(mode) * 1000L);
            long idleCpu0 = server.cpuMicros();
            long replies0 = load.timedReplies();
            long idle0 = System.nanoTime();
            Thread.sleep(idleSeconds * 1000L);
            double idleSecs = (System.nanoTime() - idle0) / 1e9;
            double idleCpuMs = (server.cpuMicros() - idleCpu0) / 1000.0;
            long idleReplies = load.timedReplies() - replies0;
            String heapN = server.get("/bench/heap");
            long used0 = ServerProcess.figure(heap0, "heap_used");
            long usedN = ServerProcess.figure(heapN, "heap_used");
            String result = String.format(Locale.ROOT, "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f mean_ms=%.1f"
                            + " missed=%d broadcasts=%d p99s=%s", Bench.medianOf(p50s), Bench.medianOf(p90s),
                    Bench.medianOf(p99s), Bench.medianOf(maxes), Bench.medianOf(means), missed, measured,
                    p99s.stream().map(d -> String.format(Locale.ROOT, "%.0f", d))
                            .collect(java.util.stream.Collectors.joining("/")));
            bench.rawLine(String.format(Locale.ROOT, "%s %s interval_ms=%d idle_s=%.1f idle_requests_per_s=%.1f"
                            + " idle_server_cpu_ms_per_s=%.1f idle_server_cpu_us_per_request=%.1f setup_s=%.1f"
                            + " heap_per_page_kb=%.2f rss_mb=%.0f threads=%d io_errors=%d reconnects=%d bad_status=%d"
                            + " loadavg=%s",
                    label, result, mode.equals("polling") ? pollMillis : callMillis, idleSecs, idleReplies / idleSecs,
                    idleCpuMs / idleSecs, idleReplies == 0 ? Double.NaN : idleCpuMs * 1000 / idleReplies,
                    setupSeconds, (usedN - used0) / 1024.0 / n, ServerProcess.figure(heapN, "rss_kb") / 1024.0,
                    ServerProcess.figure(heapN, "threads"), load.ioErrors(), load.reconnects(), load.badStatus(),
                    Bench.loadavg()));
            return result.contains(" missed=0 ") && load.badStatus() == 0;
        }
    }

    private void timedTable(List<String> ns, List<String> modes) {
        bench.out("");
        bench.out("Polling and passive delivery (Pagewire only: the baseline has no such transport). Delay = trigger"
                + " sent -> token seen, over all N pages; median over the measured broadcasts and rounds. \"expected\":"
                + " polling, the delay is uniform over one interval (p50/p90/p99 = 0.5/0.9/0.99 x interval, plus the"
                + " request's own time); passive with Poisson calls of mean m, the wait for the next call is"
                + " exponential (0.69/2.30/4.61 x m). Idle: server CPU while the pages only poll or call, no updates.");
        bench.out("");
        bench.out("| N | mode | interval ms | p50 ms | p90 ms | p99 ms | max ms | mean ms | missed (worst) "
                + "| expected p50/p90/p99 ms | idle requests/s | idle server CPU ms/s | server CPU µs/request "
                + "| heap/page KB | setup s |");
        bench.out("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (String n : ns) {
            for (String mode : modes) {
                List<String> sel = bench.select("PUSH", "n=" + n, "mode=" + mode, "target=pagewire");
                double interval = Bench.median(sel, "interval_ms");
                double[] k = mode.equals("polling") ? new double[] {0.5, 0.9, 0.99}
                        : new double[] {Math.log(2), Math.log(10), Math.log(100)};
                bench.out(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f "
                                + "| %.0f / %.0f / %.0f | %.0f | %.1f | %.1f | %.1f | %.1f |", n, mode, interval,
                        Bench.median(sel, "p50_ms"), Bench.median(sel, "p90_ms"), Bench.median(sel, "p99_ms"),
                        Bench.median(sel, "max_ms"), Bench.median(sel, "mean_ms"), Bench.max(sel, "missed"),
                        k[0] * interval, k[1] * interval, k[2] * interval,
                        Bench.median(sel, "idle_requests_per_s"), Bench.median(sel, "idle_server_cpu_ms_per_s"),
                        Bench.median(sel, "idle_server_cpu_us_per_request"), Bench.median(sel, "heap_per_page_kb"),
                        Bench.median(sel, "setup_s")));
            }
        }
    }

    private boolean one(int round, int n, String mode, String target, int port, int ramp, int warmups, int timeout,
                        int setupTimeout, List<String> jvm, List<String> extra) throws Exception {
        Path log = bench.logDir().resolve("push-" + target + "-" + mode + "-n" + n + "-r" + round + ".log");
        String label = String.format(Locale.ROOT, "PUSH round=%d n=%d mode=%s target=%s", round, n, mode, target);
        boolean topic = target.startsWith("pagewire-topic");
        try (RedisProcess redis = Bench.startRedis(List.of(target));
             ServerProcess server = ServerProcess.start(serverTarget(target, topic), port, jvm,
                     serverArgs(target, extra, redis), log);
             PushLoad load = new PushLoad("127.0.0.1", port, target.startsWith("pagewire"),
                     PushLoad.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), n, ramp)) {
            if (target.equals("baseline-get")) {
                load.getPolls();
            }
            if (topic) {
                load.subscribe(BenchServer.TOPIC);
            }
            // Pagewire counts held requests, not sockets: a socket page is parked once it heard "open"
            Parked parked = mode.equals("websocket") && target.startsWith("pagewire") ? load::setUp
                    : () -> parked(server);
            String heap0 = server.get("/bench/heap");
            long t0 = System.nanoTime();
            load.start();
            long deadline = t0 + setupTimeout * 1_000_000_000L;
            while (parked.count() < n && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double setupSeconds = (System.nanoTime() - t0) / 1e9;
            int parkedAtStart = parked.count();
            if (parkedAtStart < n) {
                bench.rawLine(label + " failed=setup parked=" + parkedAtStart + " set_up=" + load.setUp()
                        + " io_errors=" + load.ioErrors() + " bad_status=" + load.badStatus());
                return false;
            }
            String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            int measured = bench.intOpt("broadcasts", 3);
            List<Double> p50s = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            List<Double> maxes = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            List<Double> allocs = new ArrayList<>();
            int missed = 0;
            for (int b = 0; b < warmups + measured; b++) {
                waitParked(parked, n, 30);
                // Socket pages acknowledge the last broadcast within ackDelayMillis: let that be over, so
                // a broadcast is measured alone, as with SSE pages (which send no acks here at all).
                for (long until = System.nanoTime() + 10_000_000_000L; load.acksPending() > 0 && System.nanoTime() < until; ) {
                    Thread.sleep(10);
                }
                Thread.sleep(500);
                String token = "bc" + runId + "x" + b;
                load.watch(token);
                long alloc0 = Bench.allocated(server);
                long cpu0 = server.cpuMicros();
                long trigger = System.nanoTime();
                java.time.Instant triggeredAt = java.time.Instant.now();
                String reply = server.post("/bench/broadcast?id=" + token);
                double triggerMillis = (System.nanoTime() - trigger) / 1e6;
                long limit = trigger + timeout * 1_000_000_000L;
                while (load.received() < n && System.nanoTime() < limit) {
                    Thread.sleep(1);
                }
                double allMillis = (System.nanoTime() - trigger) / 1e6;
                long cpu1 = server.cpuMicros();
                long alloc1 = Bench.allocated(server);
                // Bytes the server allocated from the trigger until every page had the update, per page
                // (the two reads of the figure are themselves requests, a few KB against N pages' worth).
                double allocPerPage = alloc0 < 0 || alloc1 < 0 ? -1 : (alloc1 - alloc0) / 1024.0 / n;
                double[] lat = load.latenciesMillis(trigger);
                double max = lat.length == 0 ? Double.NaN : lat[lat.length - 1];
                String line = String.format(Locale.ROOT, "p50_ms=%.1f p99_ms=%.1f max_ms=%.1f missed=%d "
                                + "trigger_reply_ms=%.1f wait_ms=%.0f server_cpu_ms=%.0f alloc_kb_per_page=%.2f"
                                + " server_says=%s",
                        PushLoad.pct(lat, 50), PushLoad.pct(lat, 99), max, n - lat.length, triggerMillis, allMillis,
                        (cpu1 - cpu0) / 1000.0, allocPerPage, reply.trim().replace(' ', ','));
                System.out.println("    broadcast " + b + (b < warmups ? " (warm-up)" : "") + ": " + line
                        + " at=" + triggeredAt); // wall clock, to line up with a JFR recording
                if (b >= warmups) {
                    p50s.add(PushLoad.pct(lat, 50));
                    p99s.add(PushLoad.pct(lat, 99));
                    maxes.add(max);
                    cpus.add((cpu1 - cpu0) / 1000.0);
                    allocs.add(allocPerPage);
                    missed = Math.max(missed, n - lat.length);
                }
            }
            String result = String.format(Locale.ROOT, "p50_ms=%.1f p99_ms=%.1f max_ms=%.1f missed=%d server_cpu_ms=%.0f"
                            + " alloc_kb_per_page=%.2f broadcasts=%d p99s=%s", Bench.medianOf(p50s), Bench.medianOf(p99s),
                    Bench.medianOf(maxes), missed, Bench.medianOf(cpus), Bench.medianOf(allocs), measured,
                    p99s.stream().map(d -> String.format(Locale.ROOT, "%.0f", d))
                            .collect(java.util.stream.Collectors.joining("/")));
            waitParked(parked, n, 30);
            int parkedAfter = parked.count();
            String heapN = server.get("/bench/heap");
            if (bench.opt("histogram", "0").equals("1")) {
                histogram(server, log.resolveSibling(log.getFileName().toString().replace(".log", "-histogram.txt")));
            }
            long used0 = ServerProcess.figure(heap0, "heap_used");
            long usedN = ServerProcess.figure(heapN, "heap_used");
            bench.rawLine(String.format(Locale.ROOT, "%s %s setup_s=%.1f parked_after=%d heap0_mb=%.1f heap_mb=%.1f "
                            + "heap_per_page_kb=%.2f rss_mb=%.0f threads=%d io_errors=%d reconnects=%d bad_status=%d "
                            + "loadavg=%s",
                    label, result, setupSeconds, parkedAfter, used0 / 1048576.0, usedN / 1048576.0,
                    (usedN - used0) / 1024.0 / n, ServerProcess.figure(heapN, "rss_kb") / 1024.0,
                    ServerProcess.figure(heapN, "threads"), load.ioErrors(), load.reconnects(), load.badStatus(),
                    Bench.loadavg()));
            return result.contains(" missed=0 ");
        }
    }

    /** The server's live objects by class (jcmd GC.class_histogram), to see who holds the heap per page. */
    private static void histogram(ServerProcess server, Path file) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.class_histogram")
                .redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        System.out.println("    class histogram: " + file);
    }

    private static int parked(ServerProcess server) throws Exception {
        return (int) ServerProcess.figure(server.get("/bench/stats"), "parked");
    }

    /** The server {@code target} runs: a load-side variant runs the server it varies. */
    private static String serverTarget(String target, boolean topic) {
        if (target.equals("baseline-get")) {
            return "baseline";
        }
        if (target.equals("pagewire-again")) {
            return "pagewire";
        }
        return topic ? "pagewire-topic" : target;
    }

    /** The server's arguments for {@code target}: {@code pagewire-topic-idle} also has topics nobody subscribes to. */
    private List<String> serverArgs(String target, List<String> extra, RedisProcess redis) {
        List<String> args = new ArrayList<>(Bench.serverArgs(target, extra, redis));
        if (target.equals("pagewire-topic-idle")) {
            args.addAll(List.of("--idle-topics", Integer.toString(bench.intOpt("idle-topics", 10_000))));
        }
        return args;
    }

    /** How many pages are parked now. */
    private interface Parked {
        int count() throws Exception;
    }

    private static void waitParked(Parked parked, int n, int seconds) throws Exception {
        long limit = System.nanoTime() + seconds * 1_000_000_000L;
        while (parked.count() < n && System.nanoTime() < limit) {
            Thread.sleep(20);
        }
    }

    private void table(List<String> ns, List<String> modes, List<String> targets) {
        bench.out("");
        bench.out("| N | mode | target | p50 ms | p99 ms | max ms | missed (worst) | heap/page KB | heap MB | RSS MB "
                + "| threads | setup s |");
        bench.out("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String n : ns) {
            for (String mode : modes) {
                for (String t : targets) {
                    if (t.equals("baseline-get") && !mode.equals("comet")) {
                        continue;
                    }
                    List<String> sel = bench.select("PUSH", "n=" + n, "mode=" + mode, "target=" + t);
                    bench.out(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.0f | %.1f | %.0f | %.0f "
                                    + "| %.0f | %.1f |", n, mode, t, Bench.median(sel, "p50_ms"),
                            Bench.median(sel, "p99_ms"), Bench.median(sel, "max_ms"), Bench.max(sel, "missed"),
                            Bench.median(sel, "heap_per_page_kb"), Bench.median(sel, "heap_mb"),
                            Bench.median(sel, "rss_mb"), Bench.median(sel, "threads"), Bench.median(sel, "setup_s")));
                }
            }
        }
        if (targets.contains("pagewire") && targets.contains("baseline")) {
            bench.out("");
            bench.out("Pagewire against the baseline (comet: bare long-poll; sse: bare stream; websocket: bare"
                    + " WebSocket), per round and median:"
                    + " latency ratios, and the heap Pagewire holds per parked page beyond the baseline's (KB):");
            pairTable(ns, modes, "pagewire", "baseline");
        }
        if (targets.contains("pagewire") && targets.contains("baseline") && modes.contains("websocket")
                && modes.contains("sse")) {
            bench.out("");
            bench.out("Pagewire's websocket against the baseline's bare SSE stream, per round and median:");
            pairTable(ns, List.of("websocket"), List.of("sse"), "pagewire", "baseline");
        }
        if (targets.contains("pagewire") && targets.contains("baseline-get") && modes.contains("comet")) {
            bench.out("");
            bench.out("Pagewire's Comet against the GET long-poll (no body; headers flushed as it parks; the shared"
                    + " peers harness's baseline), per round and median:");
            pairTable(ns, List.of("comet"), "pagewire", "baseline-get");
        }
        if (targets.contains("pagewire-topic") && targets.contains("pagewire")) {
            bench.out("");
            bench.out("A publish on a topic every page subscribed to, against the same broadcast through"
                    + " pages().all(), per round and median:");
            pairTable(ns, modes, "pagewire-topic", "pagewire");
        }
        if (targets.contains("pagewire-again") && targets.contains("pagewire")) {
            bench.out("");
            bench.out("The same Pagewire against itself (what this run's noise alone does to a ratio), per round and"
                    + " median:");
            pairTable(ns, modes, "pagewire-again", "pagewire");
        }
        if (targets.contains("pagewire-topic-idle") && targets.contains("pagewire-topic")) {
            bench.out("");
            bench.out("The same publish with " + bench.intOpt("idle-topics", 10_000) + " more topics that no page"
                    + " subscribes to, against none, per round and median:");
            pairTable(ns, modes, "pagewire-topic-idle", "pagewire-topic");
        }
        if (targets.contains("pagewire-redis") && targets.contains("pagewire")) {
            bench.out("");
            bench.out("Pagewire on Redis against Pagewire in memory, per round and median: latency ratios, and the"
                    + " heap per parked page beyond the in-memory one's (KB):");
            pairTable(ns, modes, "pagewire-redis", "pagewire");
        }
    }

    private void pairTable(List<String> ns, List<String> modes, String a, String b) {
        pairTable(ns, modes, modes, a, b);
    }

    /** Target {@code a} in {@code modesA.get(i)} against target {@code b} in {@code modesB.get(i)}. */
    private void pairTable(List<String> ns, List<String> modesA, List<String> modesB, String a, String b) {
        bench.out("");
        bench.out("| N | mode | p50 ratio | p99 ratio | max ratio | server CPU ratio | extra heap/page KB |");
        bench.out("| ---: | --- | --- | --- | --- | --- | --- |");
        for (String n : ns) {
            for (int i = 0; i < modesA.size(); i++) {
                String ma = modesA.get(i);
                String mb = modesB.get(i);
                bench.out("| " + n + " | " + (ma.equals(mb) ? ma : ma + " / " + mb) + " | "
                        + paired(n, ma, mb, "p50_ms", false, a, b) + " | " + paired(n, ma, mb, "p99_ms", false, a, b)
                        + " | " + paired(n, ma, mb, "max_ms", false, a, b) + " | "
                        + paired(n, ma, mb, "server_cpu_ms", false, a, b) + " | "
                        + paired(n, ma, mb, "heap_per_page_kb", true, a, b) + " |");
            }
        }
        marginalHeap(ns, modesA, modesB, a, b);
    }

    /**
     * The heap each added page costs beyond the other target's, between each two page counts of the
     * run: the difference of the two targets' heap growth over the pages added, per round. Unlike
     * the table's figure (heap over pages at one N) it leaves out what does not grow with the pages,
     * such as the container's threads and request processors left over from the setup's peak.
     */
    private void marginalHeap(List<String> ns, List<String> modesA, List<String> modesB, String a, String b) {
        for (int k = 1; k < ns.size(); k++) {
            String n1 = ns.get(k - 1);
            String n2 = ns.get(k);
            for (int i = 0; i < modesA.size(); i++) {
                List<Double> per = new ArrayList<>();
                for (String round : rounds(n2, modesA.get(i), a)) {
                    double growthA = heapGrowth(n1, n2, modesA.get(i), a, round);
                    double growthB = heapGrowth(n1, n2, modesB.get(i), b, round);
                    if (!Double.isNaN(growthA) && !Double.isNaN(growthB)) {
                        per.add((growthA - growthB) * 1024 / (Integer.parseInt(n2) - Integer.parseInt(n1)));
                    }
                }
                if (!per.isEmpty()) {
                    StringBuilder s = new StringBuilder();
                    per.forEach(v -> s.append(s.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", v)));
                    bench.out(String.format(Locale.ROOT, "- %s, pages %s to %s: each added page holds **%.2f KB** more"
                            + " heap than with %s (rounds: %s)", modesA.get(i), n1, n2, Bench.medianOf(per), b, s));
                }
            }
        }
    }

    private List<String> rounds(String n, String mode, String target) {
        List<String> out = new ArrayList<>();
        for (String line : bench.select("PUSH", "n=" + n, "mode=" + mode, "target=" + target)) {
            out.add(Bench.value(line, "round"));
        }
        return out;
    }

    /** MB of heap {@code target} gained from {@code n1} to {@code n2} pages in {@code round}, or NaN. */
    private double heapGrowth(String n1, String n2, String mode, String target, String round) {
        double[] heap = new double[2];
        String[] ns = {n1, n2};
        for (int j = 0; j < 2; j++) {
            heap[j] = Double.NaN;
            for (String line : bench.select("PUSH", "n=" + ns[j], "mode=" + mode, "target=" + target)) {
                String h = Bench.value(line, "heap_mb");
                if (round.equals(Bench.value(line, "round")) && h != null) {
                    heap[j] = Double.parseDouble(h);
                }
            }
        }
        return heap[1] - heap[0];
    }

    /** Per-round ratios (or differences) of target {@code ta} in {@code ma} to target {@code tb} in {@code mb}, and their median. */
    private String paired(String n, String ma, String mb, String key, boolean difference, String ta, String tb) {
        return Bench.perRound(bench.select("PUSH", "n=" + n, "mode=" + ma, "target=" + ta),
                bench.select("PUSH", "n=" + n, "mode=" + mb, "target=" + tb), key, difference);
    }
}
