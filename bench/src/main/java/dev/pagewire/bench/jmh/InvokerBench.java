package dev.pagewire.bench.jmh;

import dev.pagewire.bench.server.Calc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Invoker strategies for one call with boxed arguments, held in fields as a registry would hold
 * them: {@code Method.invoke} (what Pagewire does), a spreading {@code MethodHandle}, and a
 * direct call through an interface (what a generated invoker, e.g. byte-buddy, compiles to).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class InvokerBench {
    private Object target;
    private Object[] args;
    private Method method;
    private MethodHandle handle;
    private BiFunction<Object, Object[], Object> direct;

    @Setup
    public void setup() throws Exception {
        target = new Calc();
        args = new Object[] {2, 40};
        method = Calc.class.getMethod("add", int.class, int.class);
        handle = MethodHandles.lookup().unreflect(method).asSpreader(Object[].class, 2)
                .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
        direct = (t, a) -> ((Calc) t).add((Integer) a[0], (Integer) a[1]);
    }

    @Benchmark
    public Object reflection() throws Exception {
        return method.invoke(target, args);
    }

    @Benchmark
    public Object methodHandle() throws Throwable {
        return (Object) handle.invokeExact(target, args);
    }

    @Benchmark
    public Object direct() {
        return direct.apply(target, args);
    }
}
