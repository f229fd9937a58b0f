package dev.pagewire;

/**
 * A push could not be handed to the {@linkplain Pagewire.Builder#backend backend} that carries
 * pushes between nodes (it is down, unreachable, or did not answer in time). Thrown at the push,
 * on the pushing thread; the message says whether the push may still arrive (outcome unknown after
 * a timeout) or certainly will not.
 */
public class PushFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean mayStillArrive;

    /** A failure with its reason and cause: the push was certainly not sent. */
    public PushFailedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * A failure with its reason and cause.
     *
     * @param mayStillArrive whether the backend may have taken the push before it failed (a
     *                       timeout, a connection lost while the push was on its way)
     */
    public PushFailedException(String message, Throwable cause, boolean mayStillArrive) {
        super(message, cause);
        this.mayStillArrive = mayStillArrive;
    }

    /**
     * Whether the push may still reach its pages (the outcome is unknown): retrying it may then
     * deliver it twice. When false, it certainly will not arrive, and retrying is safe.
     */
    public boolean mayStillArrive() {
        return mayStillArrive;
    }
}
