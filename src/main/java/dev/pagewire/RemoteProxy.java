package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link RemoteMethod} methods pages may call.
 *
 * <pre>{@code
 * @RemoteProxy(name = "Chat", scope = Scope.APPLICATION)
 * public class ChatService {
 *     @RemoteMethod public void send(String room, String text) { ... }
 * }
 * }</pre>
 *
 * Register the class with {@link Pagewire.Builder#expose(Class)}. Only methods annotated with
 * {@link RemoteMethod} are callable on a class carrying this annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RemoteProxy {
    /** The JavaScript name of the proxy ({@code window.Name}); defaults to the class's simple name. */
    String name() default "";

    /** How long one instance lives; defaults to {@link Scope#APPLICATION}. */
    Scope scope() default Scope.APPLICATION;
}
