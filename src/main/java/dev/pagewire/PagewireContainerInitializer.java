package dev.pagewire;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;

/**
 * Registers {@link PagewireServlet} as a WAR starts, when {@code web.xml} names the application's
 * {@link PagewireConfiguration} in the context parameter {@value #CONFIGURATION}; does nothing
 * otherwise, so applications that register the servlet themselves are not affected. The container
 * finds this class through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}
 * in Pagewire's jar (Servlet specification, "shared libraries").
 *
 * <pre>{@code
 * <context-param>
 *   <param-name>dev.pagewire.configuration</param-name>
 *   <param-value>com.example.AppPagewire</param-value>
 * </context-param>
 * }</pre>
 *
 * <p>Runs once, on the container's thread that starts the application.
 */
public final class PagewireContainerInitializer implements ServletContainerInitializer {
    /** The context parameter naming the {@link PagewireConfiguration} class. */
    public static final String CONFIGURATION = "dev.pagewire.configuration";
    /** The context parameter with the servlet mapping, {@value #DEFAULT_MAPPING} if absent. */
    public static final String MAPPING = "dev.pagewire.mapping";
    /** Where Pagewire is served unless {@value #MAPPING} says otherwise. */
    public static final String DEFAULT_MAPPING = "/pagewire/*";

    /** Made by the container. */
    public PagewireContainerInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        String name = context.getInitParameter(CONFIGURATION);
        if (name == null || name.isBlank()) {
            return;
        }
        Pagewire pagewire = configuration(name.trim(), context).pagewire(context);
        if (pagewire == null) {
            throw new IllegalStateException(CONFIGURATION + ": " + name.trim() + ".pagewire returned null");
        }
        String mapping = context.getInitParameter(MAPPING);
        mapping = mapping == null || mapping.isBlank() ? DEFAULT_MAPPING : mapping.trim();
        ServletRegistration.Dynamic servlet = context.addServlet("pagewire", new PagewireServlet(pagewire));
        if (servlet == null) {
            throw new IllegalStateException(CONFIGURATION + " is set, but the application already has a servlet"
                    + " named \"pagewire\": register Pagewire one way only");
        }
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        Set<String> taken = servlet.addMapping(mapping);
        if (!taken.isEmpty()) {
            throw new IllegalStateException(MAPPING + ": " + mapping + " is taken by another servlet");
        }
    }

    private static PagewireConfiguration configuration(String name, ServletContext context) {
        Class<?> type = InitParameters.load(name, CONFIGURATION, context.getClassLoader());
        return (PagewireConfiguration) InitParameters.instance(type, PagewireConfiguration.class, CONFIGURATION);
    }
}
