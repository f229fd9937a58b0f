package dev.pagewire.spring;

import dev.pagewire.Pagewire;

/**
 * Changes the configuration the starter builds, after the {@code pagewire.*} properties and the
 * {@code @RemoteProxy} beans are applied and before {@link Pagewire.Builder#build()}: for settings
 * a property cannot say, such as exposing a plain object under a name.
 *
 * <pre>{@code
 * @Bean
 * PagewireCustomizer calculator() {
 *     return builder -> builder.expose("Calc", new Calc());
 * }
 * }</pre>
 *
 * Customizers run in their {@code @Order}, on the thread that creates the {@code Pagewire} bean.
 */
@FunctionalInterface
public interface PagewireCustomizer {
    /** Changes {@code builder}. */
    void customize(Pagewire.Builder builder);
}
