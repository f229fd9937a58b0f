package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of an exposed class as callable from pages.
 *
 * <p>Its parameter and return types must be convertible (see {@link DataTransferObject}); a
 * method that is not fails {@link Pagewire.Builder#build()} naming the method and the type.
 * Parameters of type {@code HttpServletRequest}, {@code HttpSession}, {@code ServletContext},
 * {@code java.security.Principal}, {@link ScriptSession} and {@link Pages} are supplied by the
 * server and are not part of the JavaScript signature.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RemoteMethod {
}
