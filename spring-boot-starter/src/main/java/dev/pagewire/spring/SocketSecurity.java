package dev.pagewire.spring;

import dev.pagewire.CallFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Spring Security's context for a call over a page's WebSocket: the {@link Authentication} the
 * upgrade request carried (Spring Security's filters ran on the upgrade, and the socket keeps its
 * user), in {@link SecurityContextHolder} for the call, as its filters put it there for a call
 * over HTTP; so method security and code reading the holder see the same user either way. Loaded
 * only where Spring Security is on the class path.
 */
final class SocketSecurity {
    private SocketSecurity() {
    }

    /** Runs {@code chain} with the upgrade's authentication, if it had one, bound to this thread. */
    static Object proceed(HttpServletRequest request, CallFilter.Chain chain) throws Exception {
        if (!(request.getUserPrincipal() instanceof Authentication authentication)) {
            return chain.proceed();
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            return chain.proceed();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
