package dev.pagewire.redis;

/** Redis did not answer in time (down, unreachable, or loading its data after a restart). */
final class RedisUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
