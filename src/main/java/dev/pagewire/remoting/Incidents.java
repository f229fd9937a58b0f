package dev.pagewire.remoting;

import dev.pagewire.web.RequestLog;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Logs an unexpected failure with its stack trace under a short id that the page is shown
 * instead, so an operator can find the trace a user reports and the user learns nothing
 * about the server's internals.
 */
public final class Incidents {
    private static final System.Logger LOG = System.getLogger("dev.pagewire");

    private Incidents() {
    }

    /** Logs {@code failure} and returns the incident id. */
    public static String log(String where, Throwable failure) {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        // "where" may hold client text (a path): no control characters, so no forged log lines.
        LOG.log(Level.ERROR, "Pagewire incident " + id + " in " + RequestLog.printable(where), failure);
        return id;
    }

    /** The error a page sees for an incident. */
    static CallError internal(String where, Throwable failure) {
        String id = log(where, failure);
        return new CallError("INTERNAL", null, "Server error (incident " + id + ")", id);
    }
}
