package dev.pagewire.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code Bench jfr FILE [PATTERN]}: where a JFR recording's CPU samples ({@code
 * jdk.ExecutionSample}) went: by thread (digits folded, so pools read as one), by frame inclusive
 * (the share of samples whose stack contains the method; only methods matching {@code PATTERN},
 * a regular expression, default {@code pagewire|coyote|catalina|tomcat}), and the top self
 * frames. Record with {@code -XX:StartFlightRecording=filename=F.jfr,settings=profile}.
 */
final class JfrSummary {
    private JfrSummary() {
    }

    static void print(Path file, String pattern) throws IOException {
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                samples++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1, Integer::sum);
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                    if (seen.add(name)) {
                        inclusive.merge(name, 1, Integer::sum);
                    }
                }
                if (!frames.isEmpty()) {
                    RecordedFrame top = frames.get(0);
                    self.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples (jdk.ExecutionSample, Java code only) in " + file.getFileName());
        System.out.println();
        System.out.println("By thread:");
        print(threads, samples, 10, null);
        System.out.println();
        System.out.println("Inclusive (share of all samples whose stack contains the frame), frames matching /" + pattern + "/:");
        print(inclusive, samples, 50, Pattern.compile(pattern));
        System.out.println();
        System.out.println("Top self frames:");
        print(self, samples, 25, null);
    }

    private static void print(Map<String, Integer> counts, int total, int limit, Pattern only) {
        counts.entrySet().stream()
                .filter(e -> only == null || only.matcher(e.getKey()).find())
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }
}
