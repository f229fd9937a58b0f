/**
 * Pagewire on Redis, so that several nodes serve the same pages behind a plain load balancer and
 * nothing is lost when one dies (see {@code notes/scale-out-on-redis.md}). In progress: {@link
 * dev.pagewire.redis.RedisBackend} carries pushes between nodes (pages still served by the node
 * that made them); the shared page store follows. Inside: the data layer of updates
 * ({@link dev.pagewire.redis.UpdateStreams}) and the node's feed reader
 * ({@link dev.pagewire.redis.FeedReader}).
 */
package dev.pagewire.redis;
