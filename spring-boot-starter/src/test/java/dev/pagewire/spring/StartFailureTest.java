package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** A wrong {@code pagewire.*} property stops the application with a message naming it. */
class StartFailureTest {
    private final WebApplicationContextRunner application = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PagewireAutoConfiguration.class));

    private void failsNaming(String expected, String... properties) {
        application.withPropertyValues(properties).run(context -> {
            Throwable failure = context.getStartupFailure();
            assertTrue(failure != null, "the application started");
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains(expected), messages.toString());
        });
    }

    @Test
    void aPathThatIsNotOneIsRefused() {
        failsNaming("pagewire.path must start with / and end without one", "pagewire.path=/");
        failsNaming("pagewire.path must start with / and end without one", "pagewire.path=rpc/");
    }

    @Test
    void aBackendUriWithoutProviderIsRefused() {
        failsNaming("pagewire.backend names a memcached: URI, but no backend for memcached is on the class path",
                "pagewire.backend=memcached://cache:11211");
    }

    @Test
    void aValueTheBuilderRefusesIsRefused() {
        failsNaming("maxJsonDepth must be at least 5, was 2", "pagewire.max-json-depth=2");
    }

    @Test
    void theDefaultsStart() {
        application.run(context -> assertTrue(context.getStartupFailure() == null, String.valueOf(context.getStartupFailure())));
    }
}
