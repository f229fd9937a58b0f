package dev.pagewire.bench.jmh;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * A record-heavy payload (an order of 50 lines, nested records, enums, a map) converted from a
 * JSON tree to its declared type and back, by Pagewire's {@code JsonCodec} (allow-list, strict
 * adapters) and by a plain {@code new Gson()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(2)
public class ConvertBench {
    public enum Status { OPEN, PAID, SHIPPED }

    public record Address(String street, String city, String zip, String country) {
    }

    public record Customer(long id, String name, String email, Address billing, Address shipping) {
    }

    public record Line(String sku, String title, int quantity, double unitPrice, boolean gift, List<String> tags) {
    }

    public record Order(String id, Status status, Customer customer, List<Line> lines, Map<String, String> notes,
                        double total) {
    }

    private Fixtures pw;
    private final Gson gson = new Gson();
    private Order order;
    private JsonElement tree;

    @Setup
    public void setup() {
        pw = new Fixtures();
        Address a = new Address("1 Main Street", "Springfield", "12345", "US");
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(new Line("SKU-" + i, "Item number " + i, i % 5 + 1, 9.99 + i, i % 7 == 0, List.of("a", "b")));
        }
        order = new Order("o-1", Status.PAID, new Customer(7, "Ada Lovelace", "ada@example.com", a, a), lines,
                Map.of("gift", "wrap it", "door", "leave at back"), 1234.5);
        tree = JsonParser.parseString(gson.toJson(order));
        Object back = pw.codec.fromJson(tree, Order.class);
        if (!order.equals(back) || !order.equals(gson.fromJson(tree, Order.class))) {
            throw new IllegalStateException("round trip differs");
        }
    }

    @Benchmark
    public Object pagewireFromJson() {
        return pw.codec.fromJson(tree, Order.class);
    }

    @Benchmark
    public Object gsonFromJson() {
        return gson.fromJson(tree, Order.class);
    }

    @Benchmark
    public String pagewireToJson() throws IOException {
        StringWriter out = new StringWriter(8192);
        pw.codec.write(new JsonWriter(out), order, Order.class);
        return out.toString();
    }

    @Benchmark
    public String gsonToJson() {
        StringWriter out = new StringWriter(8192);
        gson.toJson(order, Order.class, out);
        return out.toString();
    }
}
