package dev.pagewire.transport;

import java.time.Clock;
import java.time.Duration;

/**
 * Timing and limits of the active transports.
 *
 * @param hold         how long a Comet poll is held before an empty answer
 * @param writeWindow  how long a Comet poll waits after the first update, to gather a burst
 * @param heartbeat    how often an SSE stream gets an {@code event: hb}, and the housekeeper runs at most
 * @param ackDelay     how long an SSE page may wait before acknowledging (advice to the page)
 * @param maxHeldPerHttpSession held requests (Comet polls and streams) per HTTP session
 * @param streamLifetime how long one SSE response lives before the page reconnects (bounds a
 *                       half-open connection the network never reports)
 * @param socketSendTimeout how long a WebSocket frame may wait to be written before its reader
 *                          counts as slow and the socket is closed
 * @param socketMaxQueuedChars how many characters of call replies may wait for a WebSocket's
 *                             reader before it counts as slow
 * @param clock        the server's clock, stamped as {@code "time"} on plain poll replies for the
 *                     engine's estimate of the server time
 */
public record TransportSettings(Duration hold, Duration writeWindow, Duration heartbeat, Duration ackDelay,
                                int maxHeldPerHttpSession, Duration streamLifetime, Duration socketSendTimeout,
                                long socketMaxQueuedChars, Clock clock) {
}
