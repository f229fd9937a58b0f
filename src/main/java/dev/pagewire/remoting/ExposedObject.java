package dev.pagewire.remoting;

import dev.pagewire.Scope;

/**
 * What the application asked to expose, before validation. Any of {@code name}, {@code instance}
 * and {@code scope} may be {@code null} to take the annotation's value or the default.
 */
public record ExposedObject(String name, Class<?> type, Object instance, Scope scope) {
}
