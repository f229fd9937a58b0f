package dev.pagewire.push;

import java.time.Duration;

/**
 * The bounds on pages and their queues.
 *
 * @param maxPerHttpSession pages one browser session may hold; a handshake past it ends that
 *                          browser's least recently seen page
 * @param maxTotal          pages the server holds; a handshake past it is refused (503)
 * @param idleTimeout       a page not heard from for this long ends
 * @param firstContact      a page not heard from at all this long after its handshake ends
 * @param maxQueuedUpdates  unacknowledged updates per page before it must resync
 * @param maxQueuedChars    encoded size of those updates before it must resync
 */
public record PageLimits(int maxPerHttpSession, int maxTotal, Duration idleTimeout, Duration firstContact,
                            int maxQueuedUpdates, long maxQueuedChars) {
}
