package dev.pagewire;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a WebSocket's page checks and calls see as "the request": a copy of the upgrade request
 * taken before the container recycles it. The page check reads its cookies and HTTP session
 * exactly as for a POST; remote methods get its user, roles, HTTP session and servlet context.
 * The user and roles are those of the upgrade: a page whose user logs in or out meanwhile sees
 * the change after its next connection. Anything else about a request (its body, attributes,
 * parameters) is not there: such methods throw {@link UnsupportedOperationException}. No HTTP
 * session can be started over a socket.
 *
 * <p>Immutable; shared by the socket's calls on any thread.
 */
final class SocketRequest implements InvocationHandler {
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Cookie[] cookies;
    private final HttpSession session;
    private final String requestedSessionId;
    private final Principal user;
    private final Set<String> roles;
    private final Map<String, Object> values;

    private SocketRequest(HttpServletRequest upgrade, Set<String> namedRoles) {
        for (String name : Collections.list(upgrade.getHeaderNames())) {
            headers.put(name, Collections.list(upgrade.getHeaders(name)));
        }
        Cookie[] given = upgrade.getCookies();
        this.cookies = given == null ? null : given.clone();
        this.session = upgrade.getSession(false);
        this.requestedSessionId = upgrade.getRequestedSessionId();
        this.user = upgrade.getUserPrincipal();
        this.roles = user == null ? Set.of()
                : namedRoles.stream().filter(upgrade::isUserInRole).collect(Collectors.toUnmodifiableSet());
        this.values = Map.ofEntries(
                Map.entry("getMethod", upgrade.getMethod()),
                Map.entry("getScheme", upgrade.getScheme()),
                Map.entry("isSecure", upgrade.isSecure()),
                Map.entry("getServerName", upgrade.getServerName()),
                Map.entry("getServerPort", upgrade.getServerPort()),
                Map.entry("getRemoteAddr", upgrade.getRemoteAddr()),
                Map.entry("getRequestURI", upgrade.getRequestURI()),
                Map.entry("getContextPath", upgrade.getContextPath()),
                Map.entry("getServletPath", upgrade.getServletPath()),
                Map.entry("getServletContext", upgrade.getServletContext()),
                Map.entry("getLocale", upgrade.getLocale()));
    }

    /**
     * A copy of {@code upgrade}, taken on its thread; {@code namedRoles} are the roles that
     * {@link Roles} annotations name, the only ones a remote method's check may ask about.
     */
    static HttpServletRequest of(HttpServletRequest upgrade, Set<String> namedRoles) {
        return (HttpServletRequest) Proxy.newProxyInstance(SocketRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, new SocketRequest(upgrade, namedRoles));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        String name = method.getName();
        return switch (name) {
            case "getHeader" -> first(headers.get((String) args[0]));
            case "getHeaders" -> Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
            case "getHeaderNames" -> Collections.enumeration(headers.keySet());
            case "getCookies" -> cookies == null ? null : cookies.clone();
            case "getSession" -> session(args == null || (Boolean) args[0]);
            case "getRequestedSessionId" -> requestedSessionId;
            case "getUserPrincipal" -> user;
            case "getRemoteUser" -> user == null ? null : user.getName();
            case "isUserInRole" -> roles.contains((String) args[0]);
            case "toString" -> "SocketRequest[" + values.get("getRequestURI") + "]";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> {
                if (!values.containsKey(name)) {
                    throw new UnsupportedOperationException("HttpServletRequest." + name
                            + " is not available to calls over a WebSocket");
                }
                yield values.get(name);
            }
        };
    }

    private HttpSession session(boolean create) {
        if (session == null && create) {
            throw new IllegalStateException("no HTTP session can be started over a WebSocket");
        }
        return session;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
