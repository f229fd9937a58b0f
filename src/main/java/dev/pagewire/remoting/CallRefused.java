package dev.pagewire.remoting;

/**
 * Thrown by Pagewire's own remote methods (such as the topics') to fail a call with a code of
 * the protocol, {@code FORBIDDEN} or {@code BAD_ARGUMENTS}, and a message safe to show the page.
 */
public final class CallRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /** {@code code}: the reply's error code; {@code message}: what the page sees. */
    public CallRefused(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The reply's error code. */
    public String code() {
        return code;
    }
}
