package dev.pagewire.transport;

import dev.pagewire.DeliveryMode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which delivery mode each page gets: the first rule whose path pattern matches the page's path,
 * else the default. Patterns are globs on normalised page paths: {@code *} matches within one
 * path segment, {@code **} across segments ({@code /ticker/**}, {@code /news/*}). Immutable.
 */
public final class DeliveryRules {
    /** One rule: pages matching {@code pattern} use {@code mode}, polling every {@code pollInterval}. */
    public record Rule(String pattern, DeliveryMode mode, Duration pollInterval) {
        Pattern regex() {
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    r.append(".*");
                    i++;
                } else if (c == '*') {
                    r.append("[^/]*");
                } else {
                    r.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(r.toString());
        }
    }

    /** What the handshake tells a page. */
    public record Advice(DeliveryMode mode, long pollIntervalMillis) {
    }

    private record Compiled(Pattern regex, Advice advice) {
    }

    private final Advice fallback;
    private final Set<DeliveryMode> allowed;
    private final List<Compiled> rules;

    /**
     * @throws IllegalStateException when the default or a rule's mode is not allowed, or a
     *                               pattern does not start with {@code /}
     */
    public DeliveryRules(DeliveryMode defaultMode, Duration pollInterval, Set<DeliveryMode> allowed, List<Rule> rules) {
        this.allowed = Set.copyOf(allowed.isEmpty() ? EnumSet.allOf(DeliveryMode.class) : allowed);
        require(defaultMode, "the default delivery mode");
        this.fallback = new Advice(defaultMode, pollInterval.toMillis());
        this.rules = rules.stream().map(r -> {
            require(r.mode(), "the rule for " + r.pattern());
            if (!r.pattern().startsWith("/")) {
                throw new IllegalStateException("delivery rule pattern must start with '/': " + r.pattern());
            }
            Duration interval = r.pollInterval() == null ? pollInterval : r.pollInterval();
            return new Compiled(r.regex(), new Advice(r.mode(), interval.toMillis()));
        }).toList();
    }

    private void require(DeliveryMode mode, String what) {
        if (!allowed.contains(mode)) {
            throw new IllegalStateException(what + " uses " + mode + ", which is not among the allowed modes " + allowed);
        }
    }

    /** The advice for a normalised page path. */
    public Advice adviceFor(String page) {
        for (Compiled c : rules) {
            if (c.regex().matcher(page).matches()) {
                return c.advice();
            }
        }
        return fallback;
    }

    /** Whether pages may use {@code mode}. */
    public boolean allows(DeliveryMode mode) {
        return allowed.contains(mode);
    }

    /** The allowed modes, in declaration order. */
    public List<DeliveryMode> allowed() {
        return EnumSet.copyOf(allowed).stream().toList();
    }
}
