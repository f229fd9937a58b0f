package dev.pagewire.spi;

import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Makes a {@link PushBackend} from a URI, for configurations without code: {@code web.xml}'s
 * init-param {@code backend} (or the {@code PAGEWIRE_REDIS} environment variable) names a URI
 * such as {@code redis://host:6379}, and the provider on the class path that {@link #handles} its
 * scheme makes the backend. Found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.pagewire.spi.BackendProvider}); {@code pagewire-redis} has one.
 */
public interface BackendProvider {
    /** Whether this provider makes backends for URIs of {@code scheme} (lower case, such as {@code redis}). */
    boolean handles(String scheme);

    /**
     * A backend for {@code uri}, connected.
     *
     * @throws RuntimeException when it cannot be made (a malformed URI, an unreachable server)
     */
    PushBackend create(String uri);

    /**
     * A backend for {@code uri} from the first provider on the thread's context class path that
     * handles its scheme: how {@code web.xml}'s init-param {@code backend} and the Spring Boot
     * starter's {@code pagewire.backend} are read.
     *
     * @param setting where the URI came from, such as {@code init-param backend}, for the message
     * @throws IllegalStateException when {@code uri} has no scheme or no provider handles it
     */
    static PushBackend forUri(String uri, String setting) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalStateException(setting + " must be a URI such as redis://host:6379, not " + uri);
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, Thread.currentThread().getContextClassLoader())) {
            if (provider.handles(scheme)) {
                return provider.create(uri);
            }
        }
        throw new IllegalStateException(setting + " names a " + scheme + ": URI, but no backend for "
                + scheme + " is on the class path" + ("redis".equals(scheme) || "rediss".equals(scheme)
                ? ": add dev.pagewire:pagewire-redis" : ""));
    }
}
