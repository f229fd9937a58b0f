package dev.pagewire.security;

import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses POSTs from other sites. A request passes when its {@code Origin} header is absent
 * (not a browser's cross-site request: browsers send it on every cross-origin POST), names this
 * server (its scheme is the request's and its authority equals the {@code Host} header, which
 * survives most reverse proxies), or is one of the configured allowed origins. {@code
 * Sec-Fetch-Site: cross-site} is refused too unless the origin is allowed.
 *
 * <p>The request's scheme is the container's: behind a proxy that ends TLS it is {@code http}
 * unless the container takes it from the proxy (Tomcat's {@code RemoteIpValve} and {@code
 * X-Forwarded-Proto}); otherwise the public {@code https} origin must be listed as allowed.
 *
 * <p>Immutable and thread-safe.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed extra origins, such as {@code https://app.example.com} */
    public OriginPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code origin} is one of the configured allowed origins (this server's own is not listed). */
    public boolean listed(String origin) {
        return !allowed.isEmpty() && allowed.contains(normalise(origin));
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
        if (origin != null && !normalise(origin).equals(self(request, request.getScheme()))) {
            throw forbidden(origin, request);
        }
    }

    /** This server's origin with {@code scheme}, as the request names it; never matches without a {@code Host}. */
    private static String self(HttpServletRequest request, String scheme) {
        String host = request.getHeader("Host");
        return host == null ? "\0" : scheme + "://" + normalise(host);
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static Refusal forbidden(String origin) {
        String shown = origin.length() > 100 ? origin.substring(0, 100) + "..." : origin;
        return new Refusal(403, "FORBIDDEN_ORIGIN", "origin not allowed: " + shown);
    }

    /** Names the usual mistake behind a proxy that ends TLS: the page is https, the request http. */
    private static Refusal forbidden(String origin, HttpServletRequest request) {
        Refusal refusal = forbidden(origin);
        if (!"http".equals(request.getScheme()) || !normalise(origin).equals(self(request, "https"))) {
            return refusal;
        }
        return new Refusal(403, refusal.code(), refusal.getMessage() + " (this server sees the request as http:"
                + " behind a proxy that ends TLS, let the container take the scheme from X-Forwarded-Proto,"
                + " or list the origin in allowOrigins)");
    }
}
