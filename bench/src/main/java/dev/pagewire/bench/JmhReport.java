package dev.pagewire.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result into the table docs/BENCHMARKS.md shows: per benchmark the median of
 * its iteration scores (robust to the bursts of other work on a shared machine, which JMH's mean
 * is not), the fastest iteration, JMH's mean and error, and bytes allocated per operation (exact,
 * and untouched by noise); then Pagewire/baseline ratios of the paired benchmarks.
 */
public final class JmhReport {
    private JmhReport() {
    }

    static String render(Path json) throws IOException {
        JsonArray results = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | median | fastest | JMH mean ± error | unit | alloc B/op |\n");
        out.append("| --- | --- | ---: | ---: | ---: | --- | ---: |\n");
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            String name = r.get("benchmark").getAsString().replace("dev.pagewire.bench.jmh.", "");
            String params = r.has("params") ? r.getAsJsonObject("params").toString().replaceAll("[{}\"]", "") : "";
            JsonObject primary = r.getAsJsonObject("primaryMetric");
            List<Double> iterations = new ArrayList<>();
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                for (JsonElement it : fork.getAsJsonArray()) {
                    iterations.add(it.getAsDouble());
                }
            }
            double median = Bench.medianOf(iterations);
            double fastest = iterations.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            JsonObject secondary = r.getAsJsonObject("secondaryMetrics");
            double alloc = secondary != null && secondary.has("gc.alloc.rate.norm")
                    ? secondary.getAsJsonObject("gc.alloc.rate.norm").get("score").getAsDouble() : Double.NaN;
            out.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f ± %.1f | %s | %.0f |\n", name, params,
                    median, fastest, primary.get("score").getAsDouble(), primary.get("scoreError").getAsDouble(),
                    primary.get("scoreUnit").getAsString(), alloc));
            byName.put(name + (params.isEmpty() ? "" : " " + params), new double[] {median, fastest, alloc});
        }
        out.append("\nRatios (Pagewire / baseline or plain gson; reflection / alternatives): median time, fastest"
                + " time, allocation\n\n| pair | median | fastest | alloc |\n| --- | ---: | ---: | ---: |\n");
        String[][] pairs = {
                {"RpcBench.pagewire calls:1", "RpcBench.baseline calls:1"},
                {"RpcBench.pagewire calls:10", "RpcBench.baseline calls:10"},
                {"ConvertBench.pagewireFromJson", "ConvertBench.gsonFromJson"},
                {"ConvertBench.pagewireToJson", "ConvertBench.gsonToJson"},
                {"InvokerBench.reflection methods:1", "InvokerBench.methodHandle methods:1"},
                {"InvokerBench.reflection methods:1", "InvokerBench.lambdaMetafactory methods:1"},
                {"InvokerBench.reflection methods:1", "InvokerBench.byteBuddy methods:1"},
                {"InvokerBench.reflection methods:1", "InvokerBench.direct methods:1"},
                {"InvokerBench.reflection methods:4", "InvokerBench.methodHandle methods:4"},
                {"InvokerBench.reflection methods:4", "InvokerBench.lambdaMetafactory methods:4"},
                {"InvokerBench.reflection methods:4", "InvokerBench.byteBuddy methods:4"},
                {"InvokerBench.reflection methods:4", "InvokerBench.direct methods:4"},
        };
        for (String[] p : pairs) {
            double[] a = byName.get(p[0]);
            double[] b = byName.get(p[1]);
            if (a != null && b != null) {
                out.append(String.format(Locale.ROOT, "| %s / %s | %.2f | %.2f | %s |\n", p[0], p[1], a[0] / b[0],
                        a[1] / b[1], b[2] > 1 ? String.format(Locale.ROOT, "%.2f", a[2] / b[2]) : "-"));
            }
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        System.out.print(render(Path.of(args[0])));
    }
}
