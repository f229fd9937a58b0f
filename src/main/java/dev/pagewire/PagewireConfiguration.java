package dev.pagewire;

import jakarta.servlet.ServletContext;

/**
 * The application's Pagewire, for a WAR that registers Pagewire without code or servlet entries:
 * name the implementing class in the context parameter {@value PagewireContainerInitializer#CONFIGURATION}
 * of {@code web.xml}, and the container's start finds {@link PagewireContainerInitializer}, which
 * makes one instance (public no-argument constructor), calls {@link #pagewire} and serves the
 * result at {@code /pagewire/*} (or the context parameter {@value PagewireContainerInitializer#MAPPING}).
 *
 * <pre>{@code
 * public class AppPagewire implements PagewireConfiguration {
 *     public Pagewire pagewire(ServletContext context) {
 *         return Pagewire.builder().expose(Chat.class).build();
 *     }
 * }
 * }</pre>
 */
public interface PagewireConfiguration {
    /** The configuration to serve; called once, on the container's start, before any request. */
    Pagewire pagewire(ServletContext context);
}
