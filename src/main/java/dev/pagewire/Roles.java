package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call: on an exposed class (every method) or a remote method (overriding the class).
 * The caller must be in at least one of the roles, as the container decides
 * ({@code HttpServletRequest.isUserInRole}); {@code "*"} means any logged-in user.
 *
 * <pre>{@code
 * @RemoteProxy @Roles("*")
 * public class Account {
 *     @RemoteMethod public Profile me(Principal user) { ... }        // any logged-in user
 *     @RemoteMethod @Roles("admin") public void ban(String name) { ... }
 * }
 * }</pre>
 *
 * A call that is not allowed fails with the per-call error code {@code FORBIDDEN} and never
 * reaches the method or the {@linkplain CallFilter call filters}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Roles {
    /** The roles, any one of which allows the call; {@code "*"} for any logged-in user. */
    String[] value();
}
