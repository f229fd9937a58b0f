package dev.pagewire.convert;

/** A JSON value that does not fit the declared Java type. The message is safe to show callers. */
public final class ConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message) {
        super(message);
    }

    ConversionException(String message, Throwable cause) {
        super(message, cause);
    }
}
