package dev.pagewire.convert;

import dev.pagewire.Page;
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
@SuppressWarnings("removal") // DWR's ScriptSession stays injectable for one release
public enum InjectedParameter {
    REQUEST(HttpServletRequest.class),
    HTTP_SESSION(HttpSession.class),
    SERVLET_CONTEXT(ServletContext.class),
    PRINCIPAL(Principal.class),
    PAGE(Page.class),
    /** DWR's name for {@link #PAGE}: the page passed as a {@link ScriptSession}, which every page is. */
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
    public Object resolve(HttpServletRequest request, Page page, Pages pages) {
        return switch (this) {
            case PAGES -> pages;
            case REQUEST -> request;
            case HTTP_SESSION -> request.getSession();
            case SERVLET_CONTEXT -> request.getServletContext();
            case PRINCIPAL -> request.getUserPrincipal();
            case PAGE, SCRIPT_SESSION -> page;
        };
    }
}
