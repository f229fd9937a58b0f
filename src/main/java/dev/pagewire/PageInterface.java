package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the page object that a Java interface stands for, for typed pushes with
 * {@link PageGroup#proxy(Class)}:
 *
 * <pre>{@code
 * @PageInterface("chatUi")
 * public interface ChatUi {
 *     void addMessage(Message message);   // pagewire.expose("chatUi", {addMessage(m) {...}})
 * }
 * }</pre>
 *
 * Without the annotation the name is the interface's simple name with a lower-case first letter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PageInterface {
    /** The name the page passes to {@code pagewire.expose(name, object)}. */
    String value();
}
