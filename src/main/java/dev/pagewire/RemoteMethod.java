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
 * {@code java.security.Principal}, {@link Page} and {@link Pages} are supplied by the
 * server and are not part of the JavaScript signature.
 *
 * <p>A method that waits on something slow may return {@code CompletionStage<T>} or {@code
 * CompletableFuture<T>} (with {@code T} convertible, or {@code Void}): the page receives the
 * {@code T}, a stage completed exceptionally is reported as a thrown exception would be, and no
 * server thread waits meanwhile. The batch's reply is written when its last stage completes, on
 * the thread completing it, or when {@link Pagewire.Builder#batchTimeBudget the batch's time
 * budget} runs out. Supplied parameters are resolved on the request's thread, before the call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RemoteMethod {
}
