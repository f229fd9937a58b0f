package dev.pagewire.transport;

import dev.pagewire.DeliveryMode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which delivery modes each page gets: the first rule whose path pattern matches the page's path,
 * else the default. Patterns are globs on normalised page paths: {@code *} matches within one
 * path segment, {@code **} across segments ({@code /ticker/**}, {@code /news/*}).
 *
 * <p>A page under a rule may use the rule's mode, the modes the rule also allows, passive (it
 * costs no request) and, when any of them is active, polling: the fallback when a browser holds
 * its maximum of held requests, and the engine's check after a stream fails. A page under no rule
 * may use every allowed mode. {@link DeliveryMode#AUTO} is advised like a mode but never allowed
 * as one: the page's engine picks among the allowed modes. Immutable.
 */
public final class DeliveryRules {
    /**
     * One rule: pages matching {@code pattern} use {@code mode}, polling every {@code pollInterval}
     * ({@code null}: the default), and may also switch to {@code alsoAllowed}.
     */
    public record Rule(String pattern, DeliveryMode mode, Duration pollInterval, Set<DeliveryMode> alsoAllowed) {
    }

    /**
     * What the handshake tells a page, and what its requests are checked against: {@code mode} may
     * be {@link DeliveryMode#AUTO}, {@code allowed} never holds it.
     */
    public record Advice(DeliveryMode mode, long pollIntervalMillis, Set<DeliveryMode> allowed) {
        /** Whether a page with this advice may use {@code mode}. */
        boolean allows(DeliveryMode mode) {
            return allowed.contains(mode);
        }

        /** Whether it may use any mode that makes requests: polling, Comet or SSE. */
        boolean allowsActive() {
            return allowed.stream().anyMatch(m -> m != DeliveryMode.PASSIVE);
        }

        /** The allowed modes, in declaration order. */
        public List<DeliveryMode> allowedInOrder() {
            return EnumSet.copyOf(allowed).stream().toList();
        }
    }

    private record Compiled(PathGlob glob, Advice advice) {
    }

    private final Advice fallback;
    private final Set<DeliveryMode> allowed;
    private final List<Compiled> rules;

    /**
     * @throws IllegalStateException when the default or a rule's modes are not allowed, or a
     *                               pattern does not start with {@code /}
     */
    public DeliveryRules(DeliveryMode defaultMode, Duration pollInterval, Set<DeliveryMode> allowed, List<Rule> rules) {
        EnumSet<DeliveryMode> modes = EnumSet.allOf(DeliveryMode.class);
        if (!allowed.isEmpty()) {
            modes.retainAll(allowed);
        }
        modes.remove(DeliveryMode.AUTO); // a choice among the allowed modes, never itself requested
        this.allowed = Set.copyOf(modes);
        require(defaultMode, "the default delivery mode");
        this.fallback = new Advice(defaultMode, pollInterval.toMillis(), this.allowed);
        this.rules = rules.stream().map(r -> compile(r, pollInterval)).toList();
    }

    private Compiled compile(Rule r, Duration defaultInterval) {
        if (!r.pattern().startsWith("/")) {
            throw new IllegalStateException("delivery rule pattern must start with '/': " + r.pattern());
        }
        EnumSet<DeliveryMode> modes = EnumSet.noneOf(DeliveryMode.class);
        modes.addAll(r.alsoAllowed());
        if (r.mode() != DeliveryMode.AUTO) {
            modes.add(r.mode());
        } else if (r.alsoAllowed().isEmpty()) {
            modes.addAll(allowed); // auto under a rule that names no modes: any allowed one
        }
        modes.forEach(m -> require(m, "the rule for " + r.pattern()));
        if (modes.stream().anyMatch(m -> m != DeliveryMode.PASSIVE) && allowed.contains(DeliveryMode.POLLING)) {
            modes.add(DeliveryMode.POLLING);
        }
        if (allowed.contains(DeliveryMode.PASSIVE)) {
            modes.add(DeliveryMode.PASSIVE);
        }
        Duration interval = r.pollInterval() == null ? defaultInterval : r.pollInterval();
        return new Compiled(new PathGlob(r.pattern()), new Advice(r.mode(), interval.toMillis(), Set.copyOf(modes)));
    }

    private void require(DeliveryMode mode, String what) {
        if (mode != DeliveryMode.AUTO && !allowed.contains(mode)) {
            throw new IllegalStateException(what + " uses " + mode + ", which is not among the allowed modes " + allowed);
        }
    }

    /** The advice for a normalised page path. */
    public Advice adviceFor(String page) {
        for (Compiled c : rules) {
            if (c.glob().matches(page)) {
                return c.advice();
            }
        }
        return fallback;
    }
}
