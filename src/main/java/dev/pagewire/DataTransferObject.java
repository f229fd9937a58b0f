package dev.pagewire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows a class to travel as JSON between pages and the server.
 *
 * <p>Pagewire converts only types it knows are safe: primitives and their boxes, {@code String},
 * {@code BigDecimal}, {@code BigInteger}, enums, {@code java.time} types, {@code UUID},
 * {@code Optional}, arrays, {@code List}/{@code Set}/{@code Collection}, {@code Map} with
 * {@code String} or enum keys, records, and classes marked with this annotation (or registered
 * with {@link Pagewire.Builder#dataTransferObject(Class...)}). A marked class needs a no-argument
 * constructor; its non-static, non-transient fields (including inherited ones) are converted and
 * must themselves be convertible. A JDK class ({@code java.*}, {@code javax.*}) cannot be marked:
 * declare an allowed type instead, such as {@code Instant} for {@code java.util.Date} (the error
 * at start names it).
 *
 * <p>Read from a page, a record or marked class must have every member: one that is missing or
 * {@code null} fails the call with {@code BAD_ARGUMENTS}, unless its type is {@code Optional} (it
 * is then empty) or it carries an annotation whose simple name is {@code Nullable}, of any package
 * and retained at run time, such as JSpecify's or Jakarta's (it is then {@code null}, or for a
 * field left out its initial value). A primitive member is always required.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DataTransferObject {
}
