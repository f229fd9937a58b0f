/**
 * JSON conversion with an allow-list of types. Internal: not part of Pagewire's API.
 *
 * <p>{@link dev.pagewire.convert.TypeAllowList} decides at start which declared types may be
 * converted; {@link dev.pagewire.convert.JsonCodec} converts only those, with gson configured so
 * that it never reflects on a class the application did not allow.
 */
package dev.pagewire.convert;
