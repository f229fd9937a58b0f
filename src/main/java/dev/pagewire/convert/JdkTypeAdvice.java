package dev.pagewire.convert;

import java.util.Map;

/**
 * What to declare instead of a JDK class that is not on the allow-list. A JDK class cannot be
 * marked {@code @DataTransferObject}, so the usual advice would lead nowhere: the error names the
 * allowed type that carries the same value.
 */
final class JdkTypeAdvice {
    private static final Map<String, String> INSTEAD = Map.ofEntries(
            Map.entry("java.util.Date", "java.time.Instant"),
            Map.entry("java.sql.Date", "java.time.LocalDate"),
            Map.entry("java.sql.Time", "java.time.LocalTime"),
            Map.entry("java.sql.Timestamp", "java.time.Instant (or java.time.LocalDateTime)"),
            Map.entry("java.util.Calendar", "java.time.ZonedDateTime (or java.time.Instant)"),
            Map.entry("java.util.GregorianCalendar", "java.time.ZonedDateTime (or java.time.Instant)"),
            Map.entry("java.util.TimeZone", "java.time.ZoneId"),
            Map.entry("java.lang.CharSequence", "String"),
            Map.entry("java.lang.StringBuilder", "String"),
            Map.entry("java.lang.StringBuffer", "String"),
            Map.entry("java.lang.Number", "a concrete number type (int, long, double, BigDecimal, BigInteger)"),
            Map.entry("java.util.concurrent.atomic.AtomicInteger", "int"),
            Map.entry("java.util.concurrent.atomic.AtomicLong", "long"),
            Map.entry("java.util.concurrent.atomic.AtomicBoolean", "boolean"),
            Map.entry("java.util.OptionalInt", "Optional<Integer>"),
            Map.entry("java.util.OptionalLong", "Optional<Long>"),
            Map.entry("java.util.OptionalDouble", "Optional<Double>"),
            Map.entry("java.net.URI", "String (and URI.create on the server)"),
            Map.entry("java.net.URL", "String"),
            Map.entry("java.util.Locale", "String (a language tag: Locale.toLanguageTag / forLanguageTag)"),
            Map.entry("java.util.Currency", "String (the ISO 4217 code)"));

    private JdkTypeAdvice() {
    }

    static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
    }

    /** Advice for a JDK class that is not allowed: the allowed type to use instead. */
    static String insteadOf(Class<?> type) {
        String instead = INSTEAD.get(type.getName());
        return "a JDK class cannot be marked @DataTransferObject; " + (instead != null ? "use " + instead
                + " instead" : "use an allowed type instead (String, a number type, BigDecimal, BigInteger, boolean,"
                + " an enum, a java.time type, UUID, a List, Set or Map of them, or a record or"
                + " @DataTransferObject class of your own)");
    }
}
