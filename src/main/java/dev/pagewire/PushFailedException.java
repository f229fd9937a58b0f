package dev.pagewire;

/**
 * A push could not be handed to the {@linkplain Pagewire.Builder#backend backend} that carries
 * pushes between nodes (it is down, unreachable, or did not answer in time). Thrown at the push,
 * on the pushing thread; the message says whether the push may still arrive (outcome unknown after
 * a timeout) or certainly will not.
 */
public class PushFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with its reason and cause. */
    public PushFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
