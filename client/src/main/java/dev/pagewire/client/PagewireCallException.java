package dev.pagewire.client;

/**
 * A call that failed, or a request the server refused, with the code of the wire protocol
 * ({@code docs/PROTOCOL.md}): per call {@code NOT_FOUND}, {@code BAD_ARGUMENTS}, {@code FORBIDDEN},
 * {@code EXCEPTION} (the method threw an exception the application marked client-visible;
 * {@link #name()} is its simple class name), {@code INTERNAL} ({@link #incident()} names the
 * server's log entry) or {@code TIMEOUT}; for a whole request the refusal's code such as
 * {@code PAGE_UNKNOWN} or {@code FORBIDDEN_ORIGIN}; and the client's own {@code NETWORK} (no reply
 * came), {@code CLOSED} (a call after {@link PagewireClient#close()}) and
 * {@code UNKNOWN_FUNCTION}/{@code UPDATE_FAILED} for pushes it could not apply
 * ({@link ClientListener#problem}).
 *
 * <pre>{@code
 * try {
 *     calc.divide(1, 0);
 * } catch (PagewireCallException e) {
 *     if (e.code().equals("EXCEPTION")) show(e.getMessage());
 * }
 * }</pre>
 */
public final class PagewireCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String name;
    private final String incident;

    PagewireCallException(String code, String message, String name, String incident, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.name = name;
        this.incident = incident;
    }

    PagewireCallException(String code, String message) {
        this(code, message, null, null, null);
    }

    /** The error code, such as {@code EXCEPTION}, {@code NOT_FOUND} or {@code NETWORK}. */
    public String code() {
        return code;
    }

    /** For {@code EXCEPTION}: the simple class name of what the method threw; otherwise null. */
    public String name() {
        return name;
    }

    /** For {@code INTERNAL}: the id under which the server logged the failure; otherwise null. */
    public String incident() {
        return incident;
    }

    @Override
    public String toString() {
        return "PagewireCallException " + code + (name == null ? "" : " " + name) + ": " + getMessage();
    }
}
