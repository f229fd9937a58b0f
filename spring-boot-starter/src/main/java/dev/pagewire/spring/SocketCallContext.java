package dev.pagewire.spring;

import dev.pagewire.CallFilter;
import dev.pagewire.RemoteCall;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Gives a call that came over a page's WebSocket the request context that Spring MVC's
 * {@code RequestContextFilter} gives every HTTP request, so that {@code @SessionScope} and
 * {@code @RequestScope} beans (and anything else reading {@link RequestContextHolder}) resolve as
 * they do for a call over HTTP. The request is the socket's copy of its upgrade request, with the
 * upgrade's HTTP session, under attributes of the call's own: the context is completed after each
 * call (running the destruction callbacks of its {@code @RequestScope} beans), so each call gets
 * its own such beans. Where Spring Security is, the call also gets the upgrade's user in Spring
 * Security's context ({@link SocketSecurity}). The starter adds it as the outermost call filter.
 *
 * <p><b>Threading.</b> Runs on the thread that runs the call and binds the context to that thread
 * for the call's synchronous part (making the exposed object and running the method up to its
 * return), then unbinds it; a thread that already has a context (an HTTP request's) is left as
 * it is.
 */
final class SocketCallContext implements CallFilter {
    private static final boolean SPRING_SECURITY = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder", SocketCallContext.class.getClassLoader());

    @Override
    public Object filter(RemoteCall call, Chain chain) throws Exception {
        if (RequestContextHolder.getRequestAttributes() != null) {
            return chain.proceed();
        }
        ServletRequestAttributes attributes = new ServletRequestAttributes(new CallRequest(call.request()));
        RequestContextHolder.setRequestAttributes(attributes);
        try {
            return SPRING_SECURITY ? SocketSecurity.proceed(call.request(), chain) : chain.proceed();
        } finally {
            RequestContextHolder.resetRequestAttributes();
            attributes.requestCompleted();
        }
    }

    /**
     * The call's view of its frame's request: attributes set here are the call's own, and the
     * frame's show through where the call set none.
     */
    private static final class CallRequest extends HttpServletRequestWrapper {
        private final Map<String, Object> attributes = new HashMap<>();

        CallRequest(HttpServletRequest frame) {
            super(frame);
        }

        @Override
        public Object getAttribute(String name) {
            Object own = attributes.get(name);
            return own != null ? own : super.getAttribute(name);
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            Set<String> names = new LinkedHashSet<>(attributes.keySet());
            names.addAll(Collections.list(super.getAttributeNames()));
            return Collections.enumeration(names);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }
    }
}
