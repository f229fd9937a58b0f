package dev.pagewire;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;

/** One call on its way to a remote method, as {@linkplain CallFilter call filters} see it. */
public interface RemoteCall {
    /** The proxy's JavaScript name, e.g. {@code "Chat"}. */
    String proxyName();

    /** The Java method about to run. */
    Method method();

    /**
     * The arguments, converted and with injected parameters filled in. A filter may replace
     * elements (with values of the declared types) before it proceeds.
     */
    Object[] arguments();

    /** The HTTP request carrying the call. */
    HttpServletRequest request();

    /** The calling page. */
    Page page();
}
