package dev.pagewire.bench.jmh;

import dev.pagewire.bench.load.RpcLoad;
import dev.pagewire.bench.server.BaselineRpcServlet;
import dev.pagewire.bench.server.Calc;
import dev.pagewire.bench.server.Echo;
import dev.pagewire.push.LivePage;
import dev.pagewire.remoting.CallBatch;
import dev.pagewire.remoting.Reply;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + dispatch + encode of a {@code POST call} body, without HTTP: Pagewire's own path (as
 * {@code Endpoints.call} runs it: read the batch, ack, dispatch, write the replies, look for
 * queued updates) against the hand-written baseline's (gson tree, reflection, JsonWriter).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class RpcBench {
    @Param({"1", "10"})
    public int calls;

    private String body;
    private Fixtures pw;
    private LivePage page;
    private BaselineRpcServlet baseline;

    @Setup
    public void setup() {
        body = RpcLoad.callsBody(calls);
        pw = new Fixtures();
        page = pw.newPage("/bench/");
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("Echo", new Echo());
        services.put("Calc", new Calc());
        baseline = new BaselineRpcServlet(services);
    }

    @Benchmark
    public String pagewire() throws IOException {
        CallBatch batch = pw.batchReader.read(new StringReader(body));
        if (batch.ack() >= 0) {
            page.queue().ack(batch.ack());
        }
        List<Reply> replies = pw.dispatcher.dispatch(batch, null, page).finishNow();
        StringWriter out = new StringWriter(64 + 32 * replies.size());
        out.write('{');
        pw.replyWriter.write(replies, out);
        if (!page.queue().after(Math.max(0, batch.ack())).isEmpty()) {
            throw new IllegalStateException();
        }
        out.write('}');
        return out.toString();
    }

    @Benchmark
    public String baseline() throws IOException {
        StringWriter out = new StringWriter();
        baseline.handle(new StringReader(body), out);
        return out.toString();
    }
}
