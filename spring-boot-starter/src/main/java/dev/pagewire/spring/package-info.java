/**
 * Pagewire in Spring Boot: {@link dev.pagewire.spring.PagewireAutoConfiguration} serves the
 * {@code @RemoteProxy} beans at {@code pagewire.path} and makes {@code Pagewire} and {@code Pages}
 * beans; {@link dev.pagewire.spring.PagewireProperties} are the {@code pagewire.*} properties;
 * {@link dev.pagewire.spring.PagewireCustomizer} changes the builder where a property cannot;
 * with Actuator, a health indicator and gauges. Calls run on the container's request threads as
 * anywhere else (see {@code dev.pagewire}'s package documentation); the starter adds no thread.
 */
package dev.pagewire.spring;
