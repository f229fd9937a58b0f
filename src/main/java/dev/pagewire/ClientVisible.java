package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an exception type whose name and message may reach the page.
 *
 * <p>When a remote method throws an exception of a marked type (or a subclass), the page's
 * promise rejects with an {@code Error} whose {@code name} is the exception's simple class name
 * and whose {@code message} is its message. Every other failure reaches the page as a generic
 * message with an incident id; the server logs the stack trace under that id. Types you cannot
 * annotate can be registered with {@link Pagewire.Builder#clientVisible(Class...)}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ClientVisible {
}
