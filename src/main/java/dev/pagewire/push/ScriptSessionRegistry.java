package dev.pagewire.push;

import dev.pagewire.security.Secrets;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every live script session, by id. The handshake {@link #create creates} one; every later
 * request {@link #authenticate authenticates} with the id and token headers and must come from the
 * same HTTP session, recognised by a random key stored in it (the key survives a change of
 * session id at login, unlike the id itself).
 *
 * <p>Thread-safe: sessions live in a concurrent map; ending a session is decided once by
 * {@link PageSession#markEnded()}.
 */
public final class ScriptSessionRegistry {
    /** Header carrying the script session id on every request after the handshake. */
    public static final String SESSION_HEADER = "Pagewire-Session";
    /** Header carrying the script session token on every request after the handshake. */
    public static final String TOKEN_HEADER = "Pagewire-Token";
    static final String HTTP_KEY = "dev.pagewire.httpKey";

    private final ConcurrentMap<String, PageSession> sessions = new ConcurrentHashMap<>();

    /** Creates a session for the page at {@code page}, bound to the caller's HTTP session. */
    public PageSession create(HttpServletRequest request, String page) {
        if (page.length() > PagePaths.MAX_LENGTH) {
            throw Refusal.malformed("page path longer than " + PagePaths.MAX_LENGTH + " characters");
        }
        String httpKey = httpKey(request.getSession());
        PageSession session = new PageSession(Secrets.newSecret(), Secrets.newSecret(),
                PagePaths.normalise(page), httpKey, this);
        sessions.put(session.id(), session);
        return session;
    }

    /**
     * The caller's script session, touched.
     *
     * @throws Refusal 403 {@code BAD_TOKEN} for a missing or wrong token or a session of another
     *                 HTTP session; 410 {@code SESSION_UNKNOWN} for an id that is not live, or
     *                 when the caller's HTTP session is gone
     */
    public PageSession authenticate(HttpServletRequest request) {
        String id = request.getHeader(SESSION_HEADER);
        String token = request.getHeader(TOKEN_HEADER);
        if (id == null || token == null) {
            throw new Refusal(403, "BAD_TOKEN", "missing " + SESSION_HEADER + " or " + TOKEN_HEADER + " header");
        }
        PageSession session = sessions.get(id);
        HttpSession http = request.getSession(false);
        Object key = http == null ? null : http.getAttribute(HTTP_KEY);
        if (session == null || key == null) {
            throw new Refusal(410, "SESSION_UNKNOWN", "no such script session; make a new handshake");
        }
        if (!Secrets.matches(token, session.token()) || !Secrets.matches(key.toString(), session.httpKey())) {
            throw new Refusal(403, "BAD_TOKEN", "wrong token for this script session");
        }
        session.touch();
        return session;
    }

    /** The live session with that id, or {@code null}. */
    public PageSession find(String id) {
        return sessions.get(id);
    }

    /** A live view of every session. */
    public Collection<PageSession> all() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    /** Ends {@code session}; a second call does nothing. */
    public void end(PageSession session) {
        if (session.markEnded()) {
            sessions.remove(session.id(), session);
        }
    }

    private static String httpKey(HttpSession http) {
        synchronized (ScriptSessionRegistry.class) {
            Object key = http.getAttribute(HTTP_KEY);
            if (key == null) {
                key = Secrets.newSecret();
                http.setAttribute(HTTP_KEY, key);
            }
            return key.toString();
        }
    }
}
