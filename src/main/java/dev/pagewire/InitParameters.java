package dev.pagewire;

import dev.pagewire.spi.BackendProvider;
import jakarta.servlet.ServletConfig;
import java.util.Arrays;

/** Builds a configuration from {@link PagewireServlet}'s {@code web.xml} init-params. */
final class InitParameters {
    private InitParameters() {
    }

    static Pagewire.Builder configure(ServletConfig config) {
        Pagewire.Builder b = Pagewire.builder();
        for (String name : list(config.getInitParameter("classes"))) {
            b.expose(load(name));
        }
        String debug = config.getInitParameter("debug");
        if (debug != null) {
            b.debug(Boolean.parseBoolean(debug.trim()));
        }
        String value = config.getInitParameter("maxBodyBytes");
        if (value != null) {
            b.maxBodyBytes(Long.parseLong(value.trim()));
        }
        value = config.getInitParameter("maxJsonDepth");
        if (value != null) {
            b.maxJsonDepth(Integer.parseInt(value.trim()));
        }
        value = config.getInitParameter("maxCallsPerBatch");
        if (value != null) {
            b.maxCallsPerBatch(Integer.parseInt(value.trim()));
        }
        value = config.getInitParameter("batchTimeBudget");
        if (value != null) {
            b.batchTimeBudget(java.time.Duration.parse(value.trim()));
        }
        b.allowOrigins(list(config.getInitParameter("allowOrigins")));
        b.allowHosts(list(config.getInitParameter("allowHosts")));
        b.trustedProxies(list(config.getInitParameter("trustedProxies")));
        value = config.getInitParameter("rateLimitLoopback");
        if (value != null) {
            b.rateLimitLoopback(Boolean.parseBoolean(value.trim()));
        }
        value = config.getInitParameter("backend");
        if (value == null) {
            value = System.getenv("PAGEWIRE_REDIS");
        }
        if (value != null && !value.isBlank()) {
            b.backend(BackendProvider.forUri(value.trim(), "init-param backend"));
        }
        value = config.getInitParameter("deliveryMode");
        if (value != null) {
            b.deliveryMode(DeliveryMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return b;
    }

    private static String[] list(String value) {
        return value == null ? new String[0]
                : Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("init-param classes names " + name + ", which is not on the classpath", e);
        }
    }
}
