package dev.pagewire.convert;

import dev.pagewire.Pages;
import dev.pagewire.ScriptSession;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;

/**
 * Parameter types the server supplies from the request instead of reading them from the page.
 * They do not count towards a method's arity and do not appear in generated scripts.
 */
public enum InjectedParameter {
    REQUEST(HttpServletRequest.class),
    HTTP_SESSION(HttpSession.class),
    SERVLET_CONTEXT(ServletContext.class),
    PRINCIPAL(Principal.class),
    SCRIPT_SESSION(ScriptSession.class),
    PAGES(Pages.class);

    private final Class<?> type;

    InjectedParameter(Class<?> type) {
        this.type = type;
    }

    /** The injected kind for a declared parameter type, or {@code null} if the page sends it. */
    public static InjectedParameter of(Class<?> declared) {
        for (InjectedParameter p : values()) {
            if (p.type == declared) {
                return p;
            }
        }
        return null;
    }

    /** The value for this parameter in the current call. */
    public Object resolve(HttpServletRequest request, ScriptSession session, Pages pages) {
        return switch (this) {
            case PAGES -> pages;
            case REQUEST -> request;
            case HTTP_SESSION -> request.getSession();
            case SERVLET_CONTEXT -> request.getServletContext();
            case PRINCIPAL -> request.getUserPrincipal();
            case SCRIPT_SESSION -> session;
        };
    }
}
