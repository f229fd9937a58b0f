package dev.pagewire.remoting;

/**
 * Why one call failed, as the page will see it.
 *
 * @param code     {@code NOT_FOUND}, {@code BAD_ARGUMENTS}, {@code FORBIDDEN}, {@code EXCEPTION},
 *                 {@code INTERNAL} or {@code TIMEOUT}
 * @param name     the exception's simple class name, for {@code EXCEPTION} only
 * @param message  safe to show: never a stack trace, and for {@code INTERNAL} a generic text
 * @param incident the id the server logged the failure under, for {@code INTERNAL} only
 */
record CallError(String code, String name, String message, String incident) {
    static CallError notFound(String message) {
        return new CallError("NOT_FOUND", null, message, null);
    }

    static CallError forbidden(String message) {
        return new CallError("FORBIDDEN", null, message, null);
    }

    static CallError badArguments(String message) {
        return new CallError("BAD_ARGUMENTS", null, message, null);
    }

    static CallError timeout(String message) {
        return new CallError("TIMEOUT", null, message, null);
    }
}
