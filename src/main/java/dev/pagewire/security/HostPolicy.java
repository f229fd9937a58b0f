package dev.pagewire.security;

import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses requests whose {@code Host} header is not one of the configured names. A page that
 * another site loaded under its own name and then pointed at this server's address (DNS
 * rebinding) sends its own name as {@code Host}: without this check it would look like this
 * server's own page. Empty (the default) allows every {@code Host}.
 *
 * <p>Immutable and thread-safe.
 */
public final class HostPolicy {
    private final Set<String> allowed;

    /** @param allowed host names as browsers send them, such as {@code app.example.com:8443}; empty: any */
    public HostPolicy(Set<String> allowed) {
        this.allowed = allowed.stream().map(HostPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** @throws Refusal 403 {@code FORBIDDEN_HOST} */
    public void check(HttpServletRequest request) {
        if (allowed.isEmpty()) {
            return;
        }
        String host = request.getHeader("Host");
        if (host == null || !allowed.contains(normalise(host))) {
            String shown = host == null ? "none" : host.length() > 100 ? host.substring(0, 100) + "..." : host;
            throw new Refusal(403, "FORBIDDEN_HOST", "this server does not answer to Host " + shown);
        }
    }

    private static String normalise(String host) {
        return host.trim().toLowerCase(Locale.ROOT);
    }
}
