package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every default has one source, a {@code DEFAULT_*} constant of {@link Pagewire.Builder} or
 * {@link PagewireServer}: docs/CONFIGURATION.md and the engine's {@code DEFAULTS} must say the
 * same, and the handshake must send it. A new constant without a row in the docs fails too.
 */
class DefaultsTest {
    private static final Path CONFIGURATION = Path.of("docs/CONFIGURATION.md");
    private static final Path ENGINE = Path.of("js-client/src/engine.js");
    private static final List<String> BUILDER_SECTIONS =
            List.of("Limits and switches", "Pushing and delivery", "Pages and queues", "Files");
    private static final List<String> SERVER_SECTIONS = List.of("Embedded server");
    /** Rows named otherwise than their constant: two Tomcat attributes share one constant. */
    private static final Map<String, String> ROW_NAMES = Map.of("socketBufferBytes", "socket.appReadBufSize");
    /** A documented quantity: a number with an optional unit, such as {@code 20,000} or {@code 10 min}. */
    private static final Pattern QUANTITY = Pattern.compile("^(\\d[\\d,]*)(?:\\s*(KiB|MiB|ms|s|min|h)\\b)?");

    @Test
    void theBuilderDefaultsAreTheOnesDocumented() throws IOException {
        checkAgainstDocs(Pagewire.Builder.class, BUILDER_SECTIONS);
    }

    @Test
    void theEmbeddedServerDefaultsAreTheOnesDocumented() throws IOException {
        checkAgainstDocs(PagewireServer.class, SERVER_SECTIONS);
    }

    @Test
    void everyBuilderAndServerMethodHasARowInTheDocs() throws IOException {
        List<Row> rows = rows(Files.readString(CONFIGURATION));
        List<String> missing = new ArrayList<>();
        for (Class<?> type : List.of(Pagewire.Builder.class, PagewireServer.class)) {
            for (Method m : type.getDeclaredMethods()) {
                boolean documented = rows.stream().anyMatch(r -> r.names(m.getName()));
                if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build") && !documented) {
                    missing.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertEquals(List.of(), missing, CONFIGURATION + " has no table row for these settings");
    }

    @Test
    void theEngineAssumesTheServerDefaults() throws IOException {
        Map<String, String> engine = engineDefaults(Files.readString(ENGINE));
        Map<String, String> mirrors = new LinkedHashMap<>();
        mirrors.put("maxCallsPerBatch", "DEFAULT_MAX_CALLS_PER_BATCH");
        mirrors.put("mode", "DEFAULT_DELIVERY_MODE");
        mirrors.put("pollMillis", "DEFAULT_POLL_INTERVAL_SECONDS");
        mirrors.put("holdMillis", "DEFAULT_COMET_HOLD_SECONDS");
        mirrors.put("ackDelayMillis", "DEFAULT_SSE_ACK_DELAY_SECONDS");
        mirrors.put("heartbeatMillis", "DEFAULT_SSE_HEARTBEAT_SECONDS");
        for (Map.Entry<String, String> mirror : mirrors.entrySet()) {
            Object value = valueOf(field(Pagewire.Builder.class, mirror.getValue()));
            String expected = value instanceof DeliveryMode mode ? mode.wireName()
                    : mirror.getValue().endsWith("_SECONDS") ? Long.toString(millis((Integer) value))
                    : String.valueOf(value);
            assertEquals(expected, engine.get(mirror.getKey()), ENGINE + ": DEFAULTS." + mirror.getKey() + " is "
                    + engine.get(mirror.getKey()) + ", but Pagewire.Builder." + mirror.getValue() + " is " + value
                    + (mirror.getValue().endsWith("_SECONDS") ? " (the engine's is in ms)" : ""));
        }
    }

    @Test
    void theEngineCallTimeoutIsTheOneDocumented() throws IOException {
        String engine = engineDefaults(Files.readString(ENGINE)).get("timeout");
        Row row = onlyRow(rows(Files.readString(CONFIGURATION)), "pagewire.setTimeout", List.of("Client"),
                "the engine's DEFAULTS.timeout");
        assertEquals(engine, quantity(row).group(1), CONFIGURATION + ": pagewire.setTimeout defaults to \""
                + row.value() + "\", but " + ENGINE + " DEFAULTS.timeout is " + engine);
    }

    @Test
    void theHandshakeAdvisesTheDefaultsAndTheSseAckDelay() {
        try (Pagewire pagewire = Pagewire.builder().sseAckDelay(Duration.ofMillis(250)).build()) {
            PagewireServer server = PagewireServer.create(pagewire).start(0);
            try {
                JsonObject handshake = new PageClient(server.port()).handshake("/defaults/");
                JsonObject delivery = handshake.getAsJsonObject("delivery");
                assertEquals(250, delivery.get("ackDelayMillis").getAsInt(), "sseAckDelay reaches the page");
                assertEquals(Pagewire.Builder.DEFAULT_DELIVERY_MODE.wireName(), delivery.get("mode").getAsString());
                assertEquals(millis(Pagewire.Builder.DEFAULT_POLL_INTERVAL_SECONDS), delivery.get("pollMillis").getAsLong());
                assertEquals(millis(Pagewire.Builder.DEFAULT_COMET_HOLD_SECONDS), delivery.get("holdMillis").getAsLong());
                assertEquals(millis(Pagewire.Builder.DEFAULT_SSE_HEARTBEAT_SECONDS),
                        delivery.get("heartbeatMillis").getAsLong());
                assertEquals(Pagewire.Builder.DEFAULT_MAX_CALLS_PER_BATCH,
                        handshake.getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void durationsAreAtLeastOneMillisecondBecausePagesGetThemInMilliseconds() {
        for (Duration bad : Arrays.asList(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofNanos(1),
                Duration.ofNanos(999_999), null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Pagewire.builder().sseAckDelay(bad));
            assertEquals("sseAckDelay must be at least 1 ms, was " + bad, e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().pollInterval(bad));
            assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().cometHold(bad));
            assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().sseHeartbeat(bad));
            assertThrows(IllegalArgumentException.class,
                    () -> Pagewire.builder().deliveryRule("/x/", DeliveryMode.POLLING, bad));
        }
        Pagewire.builder().sseAckDelay(Duration.ofMillis(1)).pollInterval(Duration.ofMillis(1));
    }

    /** Each {@code DEFAULT_*} constant of {@code type} against its row under {@code sections}. */
    private static void checkAgainstDocs(Class<?> type, List<String> sections) throws IOException {
        List<Row> rows = rows(Files.readString(CONFIGURATION));
        List<Field> constants = defaultConstants(type);
        assertTrue(constants.size() > 3, "found the DEFAULT_* constants of " + type.getName());
        for (Field constant : constants) {
            String setting = settingName(constant);
            Row row = onlyRow(rows, ROW_NAMES.getOrDefault(setting, setting), sections, constantName(constant));
            Object value = valueOf(constant);
            String problem = disagreement(row, constant, value);
            if (problem != null) {
                fail(CONFIGURATION + " (" + row.section() + "): " + setting + " defaults to \"" + row.value()
                        + "\", but " + constantName(constant) + " is " + value + ": " + problem);
            }
        }
    }

    /** Why the row's default is not {@code value}, or null when it is. */
    private static String disagreement(Row row, Field constant, Object value) {
        if (value instanceof Integer number) {
            Matcher m = quantity(row);
            if (m == null) {
                return "the docs give no number";
            }
            long documented = Long.parseLong(m.group(1).replace(",", ""));
            String unit = m.group(2);
            if (constant.getName().endsWith("_SECONDS")) {
                Duration expected = Duration.ofSeconds(number);
                Duration documentedTime = duration(documented, unit);
                return expected.equals(documentedTime) ? null
                        : documentedTime == null ? "a time needs its unit (ms, s, min or h)"
                        : "the docs mean " + (documentedTime.toMillisPart() == 0 ? documentedTime.toSeconds() + " s"
                                : documentedTime.toMillis() + " ms");
            }
            long scaled = documented * ("KiB".equals(unit) ? 1024 : "MiB".equals(unit) ? 1 << 20 : 1);
            return unit != null && !unit.endsWith("iB") ? "a count, not a time"
                    : scaled == number ? null : "the docs mean " + scaled;
        }
        String word = row.value().replace("`", "").split("[\\s,(]", 2)[0];
        String expected = value instanceof Enum<?> e ? e.name() : String.valueOf(value);
        return word.equals(expected) ? null : "the docs say " + word;
    }

    /** A number with a unit; a bare number stands for a time only when it is 0. */
    private static Duration duration(long amount, String unit) {
        if (unit == null) {
            return amount == 0 ? Duration.ZERO : null;
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> null;
        };
    }

    private static Matcher quantity(Row row) {
        Matcher m = QUANTITY.matcher(row.value().replace("`", ""));
        return m.find() ? m : null;
    }

    private static List<Field> defaultConstants(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> f.getName().startsWith("DEFAULT_"))
                .filter(f -> Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())
                        && Modifier.isFinal(f.getModifiers()))
                .toList();
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(type.getName() + " has no constant " + name, e);
        }
    }

    private static Object valueOf(Field constant) {
        try {
            return constant.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(constant + " is not readable", e);
        }
    }

    /** Such as {@code Pagewire.Builder.DEFAULT_MAX_BODY_BYTES}. */
    private static String constantName(Field constant) {
        Class<?> type = constant.getDeclaringClass();
        return type.getCanonicalName().substring(type.getPackageName().length() + 1) + "." + constant.getName();
    }

    /** {@code DEFAULT_SSE_ACK_DELAY_SECONDS} names {@code sseAckDelay}. */
    static String settingName(Field constant) {
        String[] words = constant.getName().replaceFirst("^DEFAULT_", "").replaceFirst("_SECONDS$", "")
                .toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }

    /** The one row naming {@code setting} in a table with defaults under {@code sections}. */
    private static Row onlyRow(List<Row> rows, String setting, List<String> sections, String source) {
        List<Row> found = rows.stream()
                .filter(r -> r.defaults() && sections.stream().anyMatch(r.section()::startsWith))
                .filter(r -> r.names(setting))
                .toList();
        if (found.size() != 1) {
            fail(CONFIGURATION + " must have one row with a default for " + setting + " (" + source + ") under "
                    + sections + ", has " + found.size());
        }
        return found.get(0);
    }

    /**
     * The table rows of a Markdown file: the section (the last {@code ##} heading), whether the
     * table's second column is headed "Default", and the first and second cell.
     */
    static List<Row> rows(String markdown) {
        List<Row> rows = new ArrayList<>();
        String section = "";
        boolean defaults = false;
        String previous = "";
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
            } else if (line.startsWith("|---")) {
                defaults = cells(previous)[1].equals("Default");
                rows.remove(rows.size() - 1); // the header
            } else if (line.startsWith("|") && cells(line).length >= 2) {
                String[] cells = cells(line);
                rows.add(new Row(section, defaults, cells[0], cells[1]));
            }
            previous = line;
        }
        return rows;
    }

    private static String[] cells(String row) {
        return Arrays.stream(row.substring(1).split("\\|")).map(String::trim).toArray(String[]::new);
    }

    /**
     * A row of a settings table.
     *
     * @param section  the heading it is under
     * @param defaults whether the table's second column is the default
     * @param setting  the first cell, such as {@code `pollInterval(Duration)`}
     * @param value    the second cell, such as the default {@code 5 s}
     */
    record Row(String section, boolean defaults, String setting, String value) {
        /** Whether the first cell names {@code name} in code: {@code `name`} or {@code `name(...)`}. */
        boolean names(String name) {
            return setting.contains("`" + name + "`") || setting.contains("`" + name + "(");
        }
    }

    /** The scalar entries of the engine's {@code DEFAULTS} object, such as {@code pollInterval=5000}. */
    static Map<String, String> engineDefaults(String engine) {
        int start = engine.indexOf("const DEFAULTS = Object.freeze({");
        assertTrue(start >= 0, ENGINE + " declares const DEFAULTS");
        int end = engine.indexOf("\n  });", start);
        Matcher m = Pattern.compile("(?m)^\\s*(\\w+): (?:'([^']*)'|(\\d+)),").matcher(engine.substring(start, end));
        Map<String, String> values = new LinkedHashMap<>();
        while (m.find()) {
            values.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return values;
    }

    private static long millis(int seconds) {
        return seconds * 1000L;
    }
}
