/**
 * Pagewire on Redis, so that several nodes serve the same pages behind a plain load balancer and
 * nothing is lost when one dies (see {@code notes/scale-out-on-redis.md}). Work in progress: so
 * far the data layer of updates ({@link dev.pagewire.redis.UpdateStreams}) and the node's feed
 * reader ({@link dev.pagewire.redis.FeedReader}); the core's backend seam and the page store follow.
 */
package dev.pagewire.redis;
