package dev.pagewire.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Predicate;

/**
 * Where pages reach Pagewire: the path the generated scripts call and the {@code pagewire}
 * cookie is scoped to. By default the request's context path and servlet path; a configured
 * public path replaces them (a proxy maps {@code /shop/rpc} to the container's {@code /pagewire});
 * otherwise a trusted proxy's {@code X-Forwarded-Prefix} (the prefix it stripped) goes in front.
 * Immutable and thread-safe.
 */
public final class PublicPath {
    /** The longest prefix or path taken. */
    public static final int MAX_LENGTH = 200;
    private final String configured;
    private final Predicate<HttpServletRequest> fromTrustedProxy;

    /**
     * @param configured       the public path, or {@code null} to take it from the request
     * @param fromTrustedProxy whether a request comes from a proxy whose headers are believed
     */
    public PublicPath(String configured, Predicate<HttpServletRequest> fromTrustedProxy) {
        if (configured != null && !isPath(configured)) {
            throw new IllegalArgumentException("publicPath must be a path such as /shop/pagewire (at most "
                    + MAX_LENGTH + " characters, no \"..\" or \"//\"), was " + configured);
        }
        this.configured = configured == null || configured.equals("/") ? configured
                : configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        this.fromTrustedProxy = fromTrustedProxy;
    }

    /**
     * The path of Pagewire as pages see it, without a trailing slash.
     *
     * @throws Refusal 400 {@code MALFORMED} for an {@code X-Forwarded-Prefix} from a trusted proxy
     *                 that is not a path
     */
    public String of(HttpServletRequest request) {
        if (configured != null) {
            return configured.equals("/") ? "" : configured;
        }
        String mount = request.getContextPath() + request.getServletPath();
        String prefix = request.getHeader("X-Forwarded-Prefix");
        if (prefix == null || prefix.isEmpty() || !fromTrustedProxy.test(request)) {
            return mount;
        }
        if (!isPath(prefix)) {
            throw Refusal.malformed("X-Forwarded-Prefix must be a path such as /shop");
        }
        return (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix) + mount;
    }

    private static boolean isPath(String p) {
        if (p.isEmpty() || p.length() > MAX_LENGTH || p.charAt(0) != '/' || p.contains("//") || p.contains("/../")
                || p.endsWith("/..") || p.contains("/./") || p.endsWith("/.")) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~%".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
