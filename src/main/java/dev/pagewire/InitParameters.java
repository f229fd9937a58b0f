package dev.pagewire;

import dev.pagewire.spi.BackendProvider;
import dev.pagewire.spi.PushBackend;
import jakarta.servlet.ServletConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.ServiceLoader;

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
        String value = config.getInitParameter("name");
        if (value != null) {
            b.name(value.trim());
        }
        value = config.getInitParameter("jmx");
        if (value != null) {
            b.jmx(Boolean.parseBoolean(value.trim()));
        }
        value = config.getInitParameter("maxBodyBytes");
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
            b.backend(backend(value.trim()));
        }
        value = config.getInitParameter("deliveryMode");
        if (value != null) {
            b.deliveryMode(DeliveryMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return b;
    }

    /** The backend for {@code uri}, from the first provider on the class path that handles its scheme. */
    private static PushBackend backend(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException("init-param backend must be a URI such as redis://host:6379, not " + uri);
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, Thread.currentThread().getContextClassLoader())) {
            if (provider.handles(scheme)) {
                return provider.create(uri);
            }
        }
        throw new IllegalStateException("init-param backend names a " + scheme + ": URI, but no backend for "
                + scheme + " is on the class path" + ("redis".equals(scheme) || "rediss".equals(scheme)
                ? ": add dev.pagewire:pagewire-redis" : ""));
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
