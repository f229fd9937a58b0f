/**
 * The seam between Pagewire and the backends that carry pushes between nodes (such as
 * {@code pagewire-redis}). Exported for those backends; applications need none of it except to
 * pass a backend to {@link dev.pagewire.Pagewire.Builder#backend}.
 */
package dev.pagewire.spi;
