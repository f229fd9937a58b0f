package dev.pagewire.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import org.apache.coyote.Request;
import org.apache.coyote.RequestGroupInfo;
import org.apache.coyote.RequestInfo;
import org.apache.tomcat.util.modeler.Registry;
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
 * What Tomcat does with JMX each time its connector makes a request processor and each time it
 * drops one (past its cache of 200, as for every re-poll after a broadcast to thousands of Comet
 * pages): the steps of {@code AbstractProtocol.ConnectionHandler.register} and {@code unregister},
 * with Tomcat's MBean registry as it starts ({@code mbeans=on}) and disabled ({@code off},
 * {@code Registry.disableRegistry()}, what {@code PagewireServer} does unless told
 * {@code tomcatMBeans(true)}). JMH runs each value in JVMs of its own, as the registry is one per JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class TomcatRegistryBench {
    @Param({"on", "off"})
    public String mbeans;

    private final RequestGroupInfo global = new RequestGroupInfo();
    private final AtomicLong count = new AtomicLong();
    private RequestInfo processor;

    @Setup
    public void setUp() {
        if (mbeans.equals("off")) {
            Registry.disableRegistry();
        }
        processor = new Request().getRequestProcessor();
    }

    /** One processor registered, then unregistered, as Tomcat names it. */
    @Benchmark
    public RequestInfo registerAndUnregister() throws Exception {
        RequestInfo rp = processor;
        rp.setGlobalProcessor(global);
        ObjectName name = new ObjectName("Tomcat:type=RequestProcessor,worker=\"http-nio-127.0.0.1-8080\",name=HttpRequest"
                + count.incrementAndGet());
        Registry.getRegistry(null).registerComponent(rp, name, null);
        rp.setRpName(name);
        rp.setGlobalProcessor(null);
        Registry.getRegistry(null).unregisterComponent(rp.getRpName());
        rp.setRpName(null);
        return rp;
    }
}
