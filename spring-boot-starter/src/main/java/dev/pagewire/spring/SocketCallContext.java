package dev.pagewire.spring;

import dev.pagewire.CallFilter;
import dev.pagewire.RemoteCall;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Gives a call that came over a page's WebSocket the request context that Spring MVC's
 * {@code RequestContextFilter} gives every HTTP request, so that {@code @SessionScope} and
 * {@code @RequestScope} beans (and anything else reading {@link RequestContextHolder}) resolve as
 * they do for a call over HTTP. The request is the socket's copy of its upgrade request, with the
 * upgrade's HTTP session. Where Spring Security is, the call also gets the upgrade's user in
 * Spring Security's context ({@link SocketSecurity}). The starter adds it as the outermost call
 * filter.
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
        ServletRequestAttributes attributes = new ServletRequestAttributes(call.request());
        RequestContextHolder.setRequestAttributes(attributes);
        try {
            return SPRING_SECURITY ? SocketSecurity.proceed(call.request(), chain) : chain.proceed();
        } finally {
            RequestContextHolder.resetRequestAttributes();
            attributes.requestCompleted();
        }
    }
}
