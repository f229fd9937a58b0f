package dev.pagewire.push;

import dev.pagewire.ScriptSession;
import dev.pagewire.ScriptSessionListener;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.security.Secrets;
import dev.pagewire.transport.DeliveryRules;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Every live script session, by id, by page path and by HTTP session. The handshake {@link
 * #create creates} one; every later request {@link #authenticate authenticates} with the id and
 * token and must come from the same HTTP session, recognised by a random key stored in it (the key
 * survives a change of session id at login, unlike the id itself).
 *
 * <p><b>Threading.</b> Thread-safe: the indexes are concurrent maps; whether a session ends is
 * decided once by {@link PageSession#markEnded()}, and only that caller removes it and tells the
 * listeners. {@link #sweep} runs on the housekeeper thread.
 */
public final class ScriptSessionRegistry {
    /** Header carrying the script session id on every request after the handshake. */
    static final String SESSION_HEADER = "Pagewire-Session";
    /** Header carrying the script session token on every request after the handshake. */
    static final String TOKEN_HEADER = "Pagewire-Token";
    static final String HTTP_KEY = "dev.pagewire.httpKey";

    private final SessionLimits limits;
    private final DeliveryRules rules;
    private final ConcurrentMap<String, PageSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<PageSession>> byPage = new ConcurrentHashMap<>();
    // Immutable lists, replaced on change: a browser has a few pages, and a concurrent set per
    // HTTP session would cost about 200 bytes more for each.
    private final ConcurrentMap<String, List<PageSession>> byHttpKey = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final List<ScriptSessionListener> listeners = new CopyOnWriteArrayList<>();

    public ScriptSessionRegistry(SessionLimits limits, DeliveryRules rules) {
        this.limits = limits;
        this.rules = rules;
    }

    /**
     * Creates a session for the page at {@code page}, bound to the caller's HTTP session.
     *
     * @throws Refusal 503 {@code TOO_MANY_SESSIONS} when the server holds its maximum; 503 {@code
     *                 HTTP_SESSION_REFUSED} when the container will not start an HTTP session
     */
    public PageSession create(HttpServletRequest request, String page) {
        if (page.length() > PagePaths.MAX_LENGTH) {
            throw Refusal.malformed("page path longer than " + PagePaths.MAX_LENGTH + " characters");
        }
        if (count.incrementAndGet() > limits.maxTotal()) {
            count.decrementAndGet();
            throw new Refusal(503, "TOO_MANY_SESSIONS", "the server holds its maximum of "
                    + limits.maxTotal() + " pages; try again later");
        }
        PageSession session;
        try {
            session = newSession(request, PagePaths.normalise(page));
        } catch (RuntimeException e) {
            count.decrementAndGet(); // the slot taken above: nothing holds it
            throw e;
        }
        sessions.put(session.id(), session);
        index(byPage, session.page(), session);
        List<PageSession> siblings = byHttpKey.compute(session.httpKey(), (k, list) -> plus(list, session));
        SessionLog.created(session);
        evictBeyond(siblings);
        notify(l -> l.created(session), session);
        return session;
    }

    /** A session not yet indexed, bound to the caller's HTTP session (made now if need be). */
    private PageSession newSession(HttpServletRequest request, String path) {
        HttpSession http;
        try {
            http = request.getSession();
        } catch (IllegalStateException e) { // a container's own session cap, such as Tomcat's maxActiveSessions
            throw new Refusal(503, "HTTP_SESSION_REFUSED", "the server could not start an HTTP session; try again later");
        }
        String httpKey = httpKey(http);
        return new PageSession(Secrets.newSecret(), Secrets.newSecret(), path, httpKey, this,
                new UpdateQueue(limits.maxQueuedUpdates(), limits.maxQueuedChars()), rules.adviceFor(path));
    }

    /**
     * The caller's script session, touched.
     *
     * @throws Refusal 403 {@code BAD_TOKEN} for a missing or wrong token; 403 {@code
     *                 NO_HTTP_SESSION_COOKIE} for the right id and token without any HTTP session
     *                 cookie; 410 {@code SESSION_UNKNOWN} for an id that is not live, when the
     *                 caller's HTTP session is gone, or when the session belongs to another HTTP
     *                 session than the caller's
     */
    public PageSession authenticate(HttpServletRequest request) {
        return authenticate(request, request.getHeader(SESSION_HEADER), request.getHeader(TOKEN_HEADER));
    }

    /** As {@link #authenticate(HttpServletRequest)}, with the id and token from elsewhere (a URL, a body). */
    public PageSession authenticate(HttpServletRequest request, String id, String token) {
        if (id == null || token == null) {
            throw new Refusal(403, "BAD_TOKEN", "missing script session id or token");
        }
        PageSession session = sessions.get(id);
        HttpSession http = request.getSession(false);
        Object key = http == null ? null : http.getAttribute(HTTP_KEY);
        if (session == null || key == null) {
            throw unknownOrCookieless(request, session, token);
        }
        if (!Secrets.matches(token, session.token())) {
            throw new Refusal(403, "BAD_TOKEN", "wrong token for this script session");
        }
        if (!Secrets.matches(key.toString(), session.httpKey())) {
            // Pages opened at once by a browser without a cookie each start an HTTP session and
            // keep only the last cookie: such a page must make a new handshake in the browser's
            // session. The old script session stays bound to its own HTTP session: nothing is granted.
            throw new Refusal(410, "SESSION_UNKNOWN", "this script session belongs to another HTTP session;"
                    + " make a new handshake");
        }
        session.touch();
        return session;
    }

    /**
     * Why a request found no script session. A request with no HTTP session cookie at all, for a
     * live session whose token it knows, is the page itself: its browser did not send the cookie,
     * and a new handshake would not help. Without the token it learns only what 410 tells anyone.
     */
    private static Refusal unknownOrCookieless(HttpServletRequest request, PageSession session, String token) {
        if (session != null && request.getRequestedSessionId() == null && Secrets.matches(token, session.token())) {
            return new Refusal(403, "NO_HTTP_SESSION_COOKIE", "the request carries no HTTP session cookie; the"
                    + " cookie set by the handshake must come with every request, the SSE stream included"
                    + " (check the cookie's Path and SameSite, and third-party cookie blocking)");
        }
        return new Refusal(410, "SESSION_UNKNOWN", "no such script session; make a new handshake");
    }

    /** The live session with that id, or {@code null}. */
    public PageSession find(String id) {
        return sessions.get(id);
    }

    /** A live view of every session. */
    Collection<PageSession> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /** The live sessions on a normalised page path. */
    Collection<PageSession> onPage(String normalisedPath) {
        Set<PageSession> s = byPage.get(normalisedPath);
        return s == null ? List.of() : Collections.unmodifiableCollection(s);
    }

    /** The live sessions of one HTTP session. */
    Collection<PageSession> ofHttpSession(HttpSession http) {
        Object key = http.getAttribute(HTTP_KEY);
        List<PageSession> s = key == null ? null : byHttpKey.get(key.toString());
        return s == null ? List.of() : s;
    }

    /** Number of live sessions. */
    public int size() {
        return sessions.size();
    }

    void addListener(ScriptSessionListener listener) {
        listeners.add(listener);
    }

    /** Tells the listeners that {@code session}'s queue overflowed. */
    void overflowed(PageSession session) {
        SessionLog.overflowed(session);
        notify(l -> l.resync(session), session);
    }

    /** Ends {@code session} for {@code reason}; a second call does nothing. */
    public void end(PageSession session, EndReason reason) {
        if (!session.markEnded()) {
            return;
        }
        SessionLog.ended(session, reason);
        sessions.remove(session.id(), session);
        count.decrementAndGet();
        unindex(byPage, session.page(), session);
        byHttpKey.computeIfPresent(session.httpKey(), (k, list) -> minus(list, session));
        session.queue().close();
        notify(l -> l.destroyed(session), session);
    }

    /** Ends every session of the HTTP session with that key. */
    void endAll(String httpKey) {
        byHttpKey.getOrDefault(httpKey, List.of()).forEach(s -> end(s, EndReason.HTTP_SESSION_ENDED));
    }

    /**
     * Housekeeping, once per sweep interval: ends sessions idle past the timeout, and those never
     * heard from past the first-contact timeout (handshakes nobody came back to, such as a flood's),
     * and gives every held request a heartbeat (a session with a held request is in use, so it is
     * touched).
     */
    public void sweep() {
        long now = System.nanoTime();
        long idle = limits.idleTimeout().toNanos();
        long firstContact = limits.firstContact().toNanos();
        for (PageSession s : sessions.values()) {
            Waiter w = s.queue().waiter();
            if (w != null) {
                s.touch();
                w.heartbeat();
            } else if (now - s.lastSeenNanos() > (s.contacted() ? idle : firstContact)) {
                end(s, s.contacted() ? EndReason.IDLE : EndReason.FIRST_CONTACT_TIMEOUT);
            }
        }
    }

    /** Ends every session (the server is stopping). */
    public void endEverything() {
        List.copyOf(sessions.values()).forEach(s -> end(s, EndReason.CLOSED));
    }

    private void evictBeyond(List<PageSession> siblings) {
        int over = siblings.size() - limits.maxPerHttpSession();
        if (over > 0) {
            siblings.stream().sorted(Comparator.comparingLong(PageSession::lastSeenNanos)).limit(over)
                    .forEach(s -> end(s, EndReason.EVICTED_OVER_CAP));
        }
    }

    /** The list ({@code null}: none yet) with {@code s} added. */
    private static List<PageSession> plus(List<PageSession> list, PageSession s) {
        if (list == null) {
            return List.of(s);
        }
        PageSession[] more = list.toArray(new PageSession[list.size() + 1]);
        more[list.size()] = s;
        return List.of(more);
    }

    /** The list without {@code s}, or {@code null} (no entry) when nothing is left. */
    private static List<PageSession> minus(List<PageSession> list, PageSession s) {
        List<PageSession> rest = list.stream().filter(p -> p != s).toList();
        return rest.isEmpty() ? null : rest;
    }

    private static Set<PageSession> index(ConcurrentMap<String, Set<PageSession>> index, String key, PageSession s) {
        // compute, not computeIfAbsent then add: unindex may drop an empty set in between.
        return index.compute(key, (k, set) -> {
            Set<PageSession> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(s);
            return result;
        });
    }

    private static void unindex(ConcurrentMap<String, Set<PageSession>> index, String key, PageSession s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    private void notify(Consumer<ScriptSessionListener> event, ScriptSession session) {
        for (ScriptSessionListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                Incidents.log("a ScriptSessionListener for " + session, e);
            }
        }
    }

    private String httpKey(HttpSession http) {
        synchronized (ScriptSessionRegistry.class) {
            Object key = http.getAttribute(HTTP_KEY);
            if (key == null) {
                key = new HttpSessionKey(Secrets.newSecret(), this);
                http.setAttribute(HTTP_KEY, key);
            }
            return key.toString();
        }
    }
}
