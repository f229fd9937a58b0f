package dev.pagewire;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a WebSocket's page checks and calls see as "the request": a copy of the upgrade request
 * taken before the container recycles it. The page check reads its cookies and HTTP session
 * exactly as for a POST; remote methods get its user, roles, HTTP session and servlet context.
 * The user and roles are those of the upgrade: a page whose user logs in or out meanwhile sees
 * the change after its next connection. Each frame of calls sees it through {@link #forBatch},
 * with attributes of the frame's own, as the calls of one POST share theirs. Anything else about a
 * request (its body, parameters) is not there: such methods throw {@link
 * UnsupportedOperationException}; nor is the handshake's nonce, {@code Sec-WebSocket-Key}. No HTTP
 * session can be started over a socket.
 *
 * <p>Immutable; shared by the socket's calls on any thread. {@code getCookies()} gives each
 * caller copies, so a method that changes one does not change what later calls see.
 */
final class SocketRequest implements InvocationHandler {
    // Held for as long as the socket is open, by every page's socket: kept small. The headers are
    // names and values in turn, in the upgrade's order; the request's values in VALUE_NAMES order.
    // Names, and values most sockets share, are taken from COMMON, so a thousand sockets of one
    // site hold one copy of each. The session cookie's value is the session's own id string, and a
    // Cookie header the cookies give back exactly is not kept twice (FROM_COOKIES).
    private static final List<String> VALUE_NAMES = List.of("getMethod", "getScheme", "isSecure",
            "getServerName", "getServerPort", "getRemoteAddr", "getRequestURI", "getContextPath",
            "getServletPath", "getServletContext", "getLocale");
    /** The handshake's nonce, which the container answered and nothing else can use: not kept. */
    private static final String HANDSHAKE_KEY = "sec-websocket-key";
    /** Headers whose values most of a site's sockets share. */
    private static final Set<String> SHARED_VALUES = Set.of("host", "origin", "user-agent", "accept-language",
            "accept-encoding", "cache-control", "pragma", "upgrade", "connection", "sec-websocket-version",
            "sec-websocket-extensions");
    private static final int COMMON_MAX = 512;
    private static final int COMMON_MAX_CHARS = 200;
    private static final Map<String, String> COMMON = new ConcurrentHashMap<>();
    private static final String COOKIE = "cookie";
    /**
     * Kept instead of a Cookie header that {@link #cookieHeader} rebuilds exactly from the
     * cookies: the header is then made again when asked, not held a second time per socket.
     */
    private static final String FROM_COOKIES = new String("(from the cookies)");

    private final String[] headers;
    private final Cookie[] cookies;
    private final HttpSession session;
    private final String requestedSessionId;
    private final Principal user;
    private final Set<String> roles;
    private final Object[] values;

    private SocketRequest(HttpServletRequest upgrade, Set<String> namedRoles) {
        this.session = upgrade.getSession(false);
        String sessionId = session == null ? null : session.getId();
        String requested = upgrade.getRequestedSessionId();
        this.requestedSessionId = sessionId != null && sessionId.equals(requested) ? sessionId : requested;
        this.cookies = cookies(upgrade.getCookies(), requestedSessionId);
        String rebuilt = cookieHeader(cookies);
        List<String> pairs = new ArrayList<>();
        for (String name : Collections.list(upgrade.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(HANDSHAKE_KEY)) {
                continue;
            }
            boolean shared = SHARED_VALUES.contains(lower);
            for (String value : Collections.list(upgrade.getHeaders(name))) {
                pairs.add(common(name));
                pairs.add(shared ? common(value) : lower.equals(COOKIE) && value.equals(rebuilt) ? FROM_COOKIES : value);
            }
        }
        this.headers = pairs.toArray(new String[0]);
        this.user = upgrade.getUserPrincipal();
        this.roles = user == null ? Set.of()
                : namedRoles.stream().filter(upgrade::isUserInRole).collect(Collectors.toUnmodifiableSet());
        this.values = new Object[] {common(upgrade.getMethod()), common(upgrade.getScheme()), upgrade.isSecure(),
                common(upgrade.getServerName()), upgrade.getServerPort(), upgrade.getRemoteAddr(),
                common(upgrade.getRequestURI()), common(upgrade.getContextPath()), common(upgrade.getServletPath()),
                upgrade.getServletContext(), upgrade.getLocale()};
    }

    /**
     * Copies of the upgrade's cookies that share what they can: names from {@link #COMMON}, and a
     * value equal to the requested HTTP session's id as that one string (the session cookie's
     * value is the id the session itself keeps).
     */
    private static Cookie[] cookies(Cookie[] given, String requestedSessionId) {
        if (given == null) {
            return null;
        }
        Cookie[] kept = new Cookie[given.length];
        for (int i = 0; i < given.length; i++) {
            // The container made each cookie with this constructor, so its name passes it again.
            String value = given[i].getValue();
            kept[i] = new Cookie(common(given[i].getName()),
                    value != null && value.equals(requestedSessionId) ? requestedSessionId : value);
        }
        return kept;
    }

    /** Copies a caller may change without changing what the socket's next calls see. */
    private static Cookie[] copies(Cookie[] cookies) {
        if (cookies == null) {
            return null;
        }
        Cookie[] copies = new Cookie[cookies.length];
        for (int i = 0; i < cookies.length; i++) {
            copies[i] = (Cookie) cookies[i].clone();
        }
        return copies;
    }

    /** The Cookie header a browser sends for {@code cookies}: name=value pairs joined by "; ". */
    private static String cookieHeader(Cookie[] cookies) {
        if (cookies == null) {
            return null;
        }
        StringBuilder header = new StringBuilder();
        for (Cookie cookie : cookies) {
            if (header.length() > 0) {
                header.append("; ");
            }
            header.append(cookie.getName()).append('=').append(cookie.getValue() == null ? "" : cookie.getValue());
        }
        return header.toString();
    }

    /** A header's value as the upgrade had it. */
    private String value(int i) {
        String value = headers[i];
        return value == FROM_COOKIES ? cookieHeader(cookies) : value;
    }

    /**
     * The copy of {@code text} kept in {@link #COMMON}, kept there now if there is room. Bounded
     * ({@value #COMMON_MAX} strings of at most {@value #COMMON_MAX_CHARS} characters), so hostile
     * headers cannot grow it: once full, new strings are simply not shared.
     */
    private static String common(String text) {
        if (text == null || text.length() > COMMON_MAX_CHARS) {
            return text;
        }
        String kept = COMMON.get(text);
        if (kept != null) {
            return kept;
        }
        if (COMMON.size() < COMMON_MAX) {
            kept = COMMON.putIfAbsent(text, text);
        }
        return kept != null ? kept : text;
    }

    /**
     * A copy of {@code upgrade}, taken on its thread; {@code namedRoles} are the roles that
     * {@link Roles} annotations name, the only ones a remote method's check may ask about.
     */
    static HttpServletRequest of(HttpServletRequest upgrade, Set<String> namedRoles) {
        return (HttpServletRequest) Proxy.newProxyInstance(SocketRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, new SocketRequest(upgrade, namedRoles));
    }

    /**
     * The request the calls of one frame see: {@code socket} (made by {@link #of}), with request
     * attributes of the frame's own, which call filters, methods and frameworks may use as they do
     * a POST's. Made per frame; the attributes' map only when one is set.
     */
    static HttpServletRequest forBatch(HttpServletRequest socket) {
        return new BatchRequest(socket);
    }

    /**
     * A frame's view of the socket's request: its own attributes, made when the first is set. A
     * frame's calls run one after another, but those returning a stage may finish on other
     * threads, hence the lock.
     */
    private static final class BatchRequest extends HttpServletRequestWrapper {
        private Map<String, Object> attributes; // null until one is set

        BatchRequest(HttpServletRequest socket) {
            super(socket);
        }

        @Override
        public synchronized Object getAttribute(String name) {
            return attributes == null ? null : attributes.get(name);
        }

        @Override
        public synchronized Enumeration<String> getAttributeNames() {
            return Collections.enumeration(attributes == null ? List.of() : List.copyOf(attributes.keySet()));
        }

        @Override
        public synchronized void setAttribute(String name, Object value) {
            if (value == null) {
                removeAttribute(name);
                return;
            }
            if (attributes == null) {
                attributes = new HashMap<>();
            }
            attributes.put(name, value);
        }

        @Override
        public synchronized void removeAttribute(String name) {
            if (attributes != null) {
                attributes.remove(name);
            }
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        String name = method.getName();
        return switch (name) {
            case "getHeader" -> header((String) args[0]);
            case "getHeaders" -> Collections.enumeration(headers((String) args[0]));
            case "getHeaderNames" -> Collections.enumeration(headerNames());
            case "getCookies" -> copies(cookies);
            case "getSession" -> session(args == null || (Boolean) args[0]);
            case "getRequestedSessionId" -> requestedSessionId;
            case "getUserPrincipal" -> user;
            case "getRemoteUser" -> user == null ? null : user.getName();
            case "isUserInRole" -> roles.contains((String) args[0]);
            case "toString" -> "SocketRequest[" + values[VALUE_NAMES.indexOf("getRequestURI")] + "]";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> {
                int i = VALUE_NAMES.indexOf(name);
                if (i < 0 || args != null) {
                    throw new UnsupportedOperationException("HttpServletRequest." + name
                            + " is not available to calls over a WebSocket");
                }
                yield values[i];
            }
        };
    }

    private HttpSession session(boolean create) {
        if (session == null && create) {
            throw new IllegalStateException("no HTTP session can be started over a WebSocket");
        }
        return session;
    }

    private String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return value(i + 1);
            }
        }
        return null;
    }

    private List<String> headers(String name) {
        List<String> found = new ArrayList<>(1);
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                found.add(value(i + 1));
            }
        }
        return found;
    }

    private Set<String> headerNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.length; i += 2) {
            names.add(headers[i]);
        }
        return names;
    }
}
