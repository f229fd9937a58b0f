package dev.pagewire.web;

/**
 * A request refused as a whole: an HTTP status, a stable error code for the engine, and a
 * message for developers. Thrown by the checks, turned into a JSON reply by the servlet.
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public Refusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static Refusal malformed(String message) {
        return new Refusal(400, "MALFORMED", message);
    }

    public static Refusal notFound(String message) {
        return new Refusal(404, "NOT_FOUND", message);
    }
}
