package dev.pagewire.push;

import dev.pagewire.web.RequestLog;
import java.lang.System.Logger.Level;

/**
 * The lifecycle log of pages, under {@code dev.pagewire.push} at DEBUG: created, ended
 * with its {@link EndReason}, queue overflowed. It names pages by id and path, never by token.
 */
final class PageLog {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.push");

    private PageLog() {
    }

    static void created(LivePage s) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page created: " + s.id() + ", path " + RequestLog.printable(s.path())
                    + ", mode " + s.deliveryMode().wireName());
        }
    }

    static void ended(LivePage s, EndReason reason) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page ended: " + s.id() + ", path " + RequestLog.printable(s.path())
                    + ", reason " + reason);
        }
    }

    static void overflowed(LivePage s) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "page queue overflowed: " + s.id() + " must resync");
        }
    }
}
