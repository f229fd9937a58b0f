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
 *
 * <p><b>Which {@code @Roles} applies.</b> The types searched, nearest first, are the exposed class,
 * its superclasses, then their interfaces (breadth-first). A method obeys the first {@code @Roles}
 * found on itself or on a method it overrides in those types, whether or not that declaration
 * carries {@link RemoteMethod}; without one, the first {@code @Roles} on those types themselves.
 * So a remote method inherited from an unannotated base class obeys the exposed class's roles,
 * and {@code @Roles} on an override applies to the method it overrides.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Roles {
    /** The roles, any one of which allows the call; {@code "*"} for any logged-in user. */
    String[] value();
}
