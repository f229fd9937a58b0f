package dev.pagewire.security;

import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses POSTs from other sites. A request passes when its {@code Origin} header is absent
 * (not a browser's cross-site request: browsers send it on every cross-origin POST), names this
 * server (its authority equals the {@code Host} header, which survives most reverse proxies), or
 * is one of the configured allowed origins. {@code Sec-Fetch-Site: cross-site} is refused too
 * unless the origin is allowed.
 *
 * <p>Immutable and thread-safe.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed extra origins, such as {@code https://app.example.com} */
    public OriginPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** @throws Refusal 403 {@code FORBIDDEN_ORIGIN} */
    public void check(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null && allowed.contains(normalise(origin))) {
            return;
        }
        if ("cross-site".equals(request.getHeader("Sec-Fetch-Site"))) {
            throw forbidden(origin == null ? "a cross-site request" : origin);
        }
        if (origin != null && !isSelf(origin, request.getHeader("Host"))) {
            throw forbidden(origin);
        }
    }

    private static boolean isSelf(String origin, String host) {
        int scheme = origin.indexOf("://");
        return scheme > 0 && host != null
                && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static Refusal forbidden(String origin) {
        String shown = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
        return new Refusal(403, "FORBIDDEN_ORIGIN", "origin not allowed: " + shown);
    }
}
