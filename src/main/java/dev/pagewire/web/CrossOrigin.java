package dev.pagewire.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Predicate;

/**
 * CORS for the origins in {@code allowOrigins}: a page served by another origin (another port,
 * host or scheme) may call, poll, stream and acknowledge with its cookies. Every response to such
 * an origin names it (never {@code *}: credentials are sent); a preflight ({@code OPTIONS}) is
 * answered with the methods and headers Pagewire uses. Other origins get no CORS headers at all,
 * and their preflights {@code 403}. Stateless.
 */
public final class CrossOrigin {
    /** The request headers Pagewire's pages send. */
    public static final String ALLOWED_HEADERS = "Content-Type, Pagewire-Page, Pagewire-Token, Pagewire-Session,"
            + " Last-Event-ID";
    /** How long a browser may keep a preflight's answer, in seconds. */
    public static final int MAX_AGE_SECONDS = 600;

    private CrossOrigin() {
    }

    /**
     * Adds the CORS headers for a listed origin; answers a preflight.
     *
     * @param listed whether an origin is in {@code allowOrigins}
     * @return whether the request was a preflight, now answered
     * @throws Refusal 403 {@code FORBIDDEN_ORIGIN} for a preflight from an origin not listed
     */
    public static boolean apply(HttpServletRequest request, HttpServletResponse response, Predicate<String> listed) {
        String origin = request.getHeader("Origin");
        boolean preflight = "OPTIONS".equals(request.getMethod())
                && request.getHeader("Access-Control-Request-Method") != null;
        if (origin == null || !listed.test(origin)) {
            if (preflight) {
                throw new Refusal(403, "FORBIDDEN_ORIGIN", "origin not allowed: "
                        + (origin == null ? "none" : origin.length() > 100 ? origin.substring(0, 100) + "..." : origin)
                        + " (list it in allowOrigins to let its pages call across origins)");
            }
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Credentials", "true");
        response.addHeader("Vary", "Origin");
        if (!preflight) {
            response.setHeader("Access-Control-Expose-Headers", "Retry-After");
            return false;
        }
        response.setHeader("Access-Control-Allow-Methods", "GET, POST");
        response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.setHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        return true;
    }
}
