package dev.pagewire.push;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.Serializable;

/**
 * The random key stored in an HTTP session that its pages are bound to. When the
 * container invalidates or expires the HTTP session, its pages end with it.
 */
final class HttpSessionKey implements HttpSessionBindingListener, Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient PageRegistry registry; // absent after deserialisation: nothing to end

    HttpSessionKey(String key, PageRegistry registry) {
        this.key = key;
        this.registry = registry;
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
        if (registry != null) {
            registry.endAll(key);
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
