package dev.pagewire.push;

import dev.pagewire.web.RequestLog;
import java.lang.System.Logger.Level;

/**
 * The lifecycle log of script sessions, under {@code dev.pagewire.push} at DEBUG: created, ended
 * with its {@link EndReason}, queue overflowed. It names pages by id and path, never by token.
 */
final class SessionLog {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.push");

    private SessionLog() {
    }

    static void created(PageSession s) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page created: session " + s.id() + ", path " + RequestLog.printable(s.page())
                    + ", mode " + s.mode().wireName());
        }
    }

    static void ended(PageSession s, EndReason reason) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page ended: session " + s.id() + ", path " + RequestLog.printable(s.page())
                    + ", reason " + reason);
        }
    }

    static void overflowed(PageSession s) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page queue overflowed: session " + s.id() + " must resync");
        }
    }
}
