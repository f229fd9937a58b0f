package dev.pagewire.redis;

import dev.pagewire.spi.BackendProvider;
import dev.pagewire.spi.PushBackend;

/**
 * Makes a {@link RedisBackend} for {@code redis://} and {@code rediss://} URIs, so that {@code
 * web.xml}'s init-param {@code backend} (or the {@code PAGEWIRE_REDIS} environment variable)
 * makes a node of a cluster without code. Found by {@link java.util.ServiceLoader}.
 */
public final class RedisBackendProvider implements BackendProvider {
    /** For the service loader. */
    public RedisBackendProvider() {
    }

    @Override
    public boolean handles(String scheme) {
        return "redis".equals(scheme) || "rediss".equals(scheme);
    }

    @Override
    public PushBackend create(String uri) {
        return RedisBackend.create(uri);
    }
}
