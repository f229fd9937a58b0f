package dev.pagewire.bench.jmh;

import dev.pagewire.push.LivePage;
import dev.pagewire.push.UpdateQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The push path without sockets: one page's queue (append, read what is above the ack, ack),
 * and one push to 10,000 pages (encoded once, appended to each queue; no page is parked, so this
 * is the cost the pushing thread pays).
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class PushBench {
    @State(Scope.Benchmark)
    public static class OnePage {
        UpdateQueue queue;
        long seq;

        @Setup
        public void setup() {
            queue = new Fixtures().newPage("/bench/").queue();
        }
    }

    @State(Scope.Benchmark)
    public static class ManyPages {
        Fixtures pw;
        List<LivePage> pages = new ArrayList<>();

        @Setup(Level.Trial)
        public void setup() {
            pw = new Fixtures();
            for (int i = 0; i < 10_000; i++) {
                pages.add(pw.newPage("/bench/"));
            }
        }

        /** Every page acknowledges what it has, so queues never overflow (not timed). */
        @Setup(Level.Invocation)
        public void ackAll() {
            for (LivePage p : pages) {
                p.queue().ack(p.queue().lastSeq());
            }
        }
    }

    /** Append one update, read it back as a reply would, and acknowledge it. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Object queueAppendReadAck(OnePage s) {
        s.queue.append("\"call\":\"bench.recv\",\"args\":[\"x\"]");
        Object read = s.queue.after(s.seq);
        s.queue.ack(++s.seq);
        return read;
    }

    /** {@code pages.forPath("/bench/").call(...)} to 10,000 pages. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void fanOut10k(ManyPages s) {
        s.pw.pages.forPath("/bench/").call("bench.recv", "hello", 42);
    }
}
