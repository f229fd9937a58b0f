package dev.pagewire.topic;

import java.util.regex.Pattern;

/**
 * A topic name ({@code /stocks/ACME}) or a pattern of names: a segment {@code *} stands for any
 * one segment, a last segment {@code **} for one or more segments at any depth
 * ({@code /stocks/**} matches {@code /stocks/ACME} and {@code /stocks/ACME/bids}, not
 * {@code /stocks}). Names start with {@code /}; segments are non-empty and made of letters,
 * digits and {@code - _ . ~ : @ + = ,}; 200 characters at most. Immutable.
 */
public final class TopicPattern {
    /** The longest name or pattern accepted. */
    public static final int MAX_LENGTH = 200;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.~:@+=,-]+");

    private final String text;
    private final String[] segments;
    private final boolean wild;

    private TopicPattern(String text, String[] segments, boolean wild) {
        this.text = text;
        this.segments = segments;
        this.wild = wild;
    }

    /**
     * Reads a pattern (wildcards allowed).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static TopicPattern parse(String text) {
        if (text == null || text.length() > MAX_LENGTH || !text.startsWith("/") || text.length() < 2) {
            throw new IllegalArgumentException("not a topic: '" + clip(text)
                    + "' (a topic starts with / and has at most " + MAX_LENGTH + " characters)");
        }
        String[] segments = text.substring(1).split("/", -1);
        boolean wild = false;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals("*") || s.equals("**") && last) {
                wild = true;
            } else if (!SEGMENT.matcher(s).matches()) {
                throw new IllegalArgumentException("not a topic: '" + clip(text) + "' (segment '" + clip(s)
                        + "': letters, digits and - _ . ~ : @ + = , only; * for one segment, ** last for any depth)");
            }
        }
        return new TopicPattern(text, segments, wild);
    }

    /**
     * Reads a topic name: a pattern without wildcards.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static TopicPattern name(String text) {
        TopicPattern p = parse(text);
        if (p.wild) {
            throw new IllegalArgumentException("'" + text + "' is a pattern: publish to one topic, without * or **");
        }
        return p;
    }

    /** Whether this pattern has a wildcard. */
    public boolean wild() {
        return wild;
    }

    /** Whether the topic {@code name} (no wildcards) is one this pattern means. */
    public boolean matches(String name) {
        if (!wild) {
            return text.equals(name);
        }
        int at = 1; // after the leading '/'
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (at > name.length()) {
                return false;
            }
            int end = name.indexOf('/', at);
            if (end < 0) {
                end = name.length();
            }
            if (s.equals("**")) {
                return end > at; // at least one more segment, of any depth
            }
            boolean fits = s.equals("*") ? end > at : end - at == s.length() && name.startsWith(s, at);
            if (!fits) {
                return false;
            }
            at = end + 1;
        }
        return at == name.length() + 1;
    }

    /**
     * Whether every topic {@code other} means is one this pattern means too: a rule on
     * {@code /stocks/**} covers a subscription to {@code /stocks/*}; {@code /stocks/*} does not
     * cover {@code /stocks/**}.
     */
    public boolean covers(TopicPattern other) {
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.equals("**")) {
                return other.segments.length > i;
            }
            if (i >= other.segments.length) {
                return false;
            }
            String o = other.segments[i];
            if (o.equals("**") || !s.equals("*") && !s.equals(o)) {
                return false;
            }
        }
        return segments.length == other.segments.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    private static String clip(String s) {
        return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
