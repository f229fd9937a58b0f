package dev.pagewire.spi;

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
}
