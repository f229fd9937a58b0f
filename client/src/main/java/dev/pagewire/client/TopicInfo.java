package dev.pagewire.client;

/**
 * Where a published value came from, as the engine tells its topic handlers.
 *
 * @param topic   the topic it was published on (the subscription's pattern may have wildcards)
 * @param key     for a latest-value topic (the server's {@code publishLatest}), the value's key; else null
 * @param skipped for a latest-value topic, how many values of that topic and key this client never
 *                received because newer ones replaced them (conflation); else 0
 */
public record TopicInfo(String topic, String key, long skipped) {
}
