package dev.pagewire.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.System.Logger.Level;
import java.util.regex.Pattern;

/**
 * The log of refused requests, under {@code dev.pagewire.web} at DEBUG: one line per refusal with
 * its status, code, method, path and message, such as {@code refused 403 FORBIDDEN_HOST: GET
 * /pagewire/engine.js: ...}. The query string is left out (a stream's carries the token).
 */
public final class RequestLog {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.web");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private RequestLog() {
    }

    /** Logs {@code refusal}, answered to {@code request}. */
    public static void refused(HttpServletRequest request, Refusal refusal) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "refused " + refusal.status() + " " + refusal.code() + ": " + request.getMethod()
                    + " " + printable(request.getRequestURI()) + ": " + printable(refusal.getMessage()));
        }
    }

    /**
     * {@code text} with control characters replaced by {@code ?}, for text from a client (a path,
     * a method name) in a log line: nobody can forge a line of their own.
     */
    public static String printable(String text) {
        return CONTROL.matcher(text).replaceAll("?");
    }
}
