package dev.pagewire.push;

import dev.pagewire.metrics.Meters;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.security.Secrets;
import dev.pagewire.transport.DeliveryRules;
import dev.pagewire.web.Refusal;
import dev.pagewire.spi.PageStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
 * Every live page, by id, by path and by HTTP session. The handshake {@link
 * #create creates} one; every later request {@link #authenticate authenticates} with the id and
 * token and must come from the same HTTP session, recognised by a random key stored in it (the key
 * survives a change of session id at login, unlike the id itself).
 *
 * <p>With a {@link PageStore} (several nodes), pages live in the store and this registry holds
 * this node's copies of the pages it serves ({@link SharedPages}): any node checks any page's
 * token, and loads the page at its first request there.
 *
 * <p><b>Threading.</b> Thread-safe: the indexes are concurrent maps; whether a page ends is
 * decided once by {@link LivePage#markEnded()}, and only that caller removes it and tells the
 * listeners. {@link #sweep} runs on the housekeeper thread. With a store, deliveries and the
 * registration of copies take the delivery lock, so a copy registered after a delivery knows it
 * (see {@link SharedPages}).
 */
public final class PageRegistry {
    /** Header carrying the page id on every request after the handshake. */
    static final String PAGE_HEADER = "Pagewire-Page";
    /** The header's name before the first release, still read for one release (hand-written clients). */
    static final String OLD_PAGE_HEADER = "Pagewire-Session";
    /** Header carrying the page token on every request after the handshake. */
    static final String TOKEN_HEADER = "Pagewire-Token";
    static final String HTTP_KEY = "dev.pagewire.httpKey";

    private final PageLimits limits;
    final Meters meters;
    private final DeliveryRules rules;
    private final ConcurrentMap<String, LivePage> pages = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<LivePage>> byPath = new ConcurrentHashMap<>();
    // Immutable lists, replaced on change: a browser has a few pages, and a concurrent set per
    // HTTP session would cost about 200 bytes more for each.
    private final ConcurrentMap<String, List<LivePage>> byHttpKey = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final List<PageListener> listeners = new CopyOnWriteArrayList<>();
    private final SharedPages shared; // null: pages live here only
    /** Taken by each delivery and by each registration of a copy. */
    final Object deliveryLock = new Object();
    private long lastDelivered; // guarded by deliveryLock
    private long lastTopicChange; // guarded by deliveryLock
    /** The topics' side of a copy's subscriptions (several nodes); none until topics are set up. */
    volatile CopyTopics copyTopics;
    private volatile long horizon;

    /**
     * @param store  where pages live; {@code null}: in this registry only
     * @param meters the figures: resends and resyncs are counted here
     */
    public PageRegistry(PageLimits limits, DeliveryRules rules, PageStore store, Meters meters) {
        this.meters = meters;
        this.limits = limits;
        this.rules = rules;
        this.shared = store == null ? null : new SharedPages(this, store, limits, rules);
    }

    /**
     * A request's right to speak for a page: its id and token checked (and, without a store,
     * the page found).
     */
    public record Pass(String id, String browser, LivePage page) {
    }

    /**
     * Creates a page for {@code path}, bound to the caller's HTTP session.
     *
     * @throws Refusal 503 {@code TOO_MANY_PAGES} when the server holds its maximum; 503 {@code
     *                 HTTP_SESSION_REFUSED} when the container will not start an HTTP session
     */
    public LivePage create(HttpServletRequest request, HttpServletResponse response, String path, String mount) {
        if (path.length() > PagePaths.MAX_LENGTH) {
            throw Refusal.malformed("page path longer than " + PagePaths.MAX_LENGTH + " characters");
        }
        if (shared != null) {
            LivePage page = shared.create(request, response, PagePaths.normalise(path), mount);
            PageLog.created(page);
            notify(l -> l.created(page), page);
            return page;
        }
        if (count.incrementAndGet() > limits.maxTotal()) {
            count.decrementAndGet();
            throw new Refusal(503, "TOO_MANY_PAGES", "the server holds its maximum of "
                    + limits.maxTotal() + " pages; try again later");
        }
        LivePage page;
        try {
            page = newPage(request, PagePaths.normalise(path));
        } catch (RuntimeException e) {
            count.decrementAndGet(); // the slot taken above: nothing holds it
            throw e;
        }
        pages.put(page.id(), page);
        index(byPath, page.path(), page);
        List<LivePage> siblings = byHttpKey.compute(page.httpKey(), (k, list) -> plus(list, page));
        PageLog.created(page);
        evictBeyond(siblings);
        notify(l -> l.created(page), page);
        return page;
    }

    /** A page not yet indexed, bound to the caller's HTTP session (made now if need be). */
    private LivePage newPage(HttpServletRequest request, String path) {
        HttpSession http;
        try {
            http = request.getSession();
        } catch (IllegalStateException e) { // a container's own page cap, such as Tomcat's maxActiveSessions
            throw new Refusal(503, "HTTP_SESSION_REFUSED", "the server could not start an HTTP session; try again later");
        }
        String httpKey = httpKey(http);
        return new LivePage(Secrets.newSecret(), Secrets.newSecret(), path, httpKey, this,
                new UpdateQueue(limits.maxQueuedUpdates(), limits.maxQueuedChars(), meters.resends), rules.adviceFor(path));
    }

    /**
     * Checks that the caller may speak for the page its headers name; without a store, finds
     * the page and touches it.
     *
     * @throws Refusal 403 {@code BAD_TOKEN} for a missing or wrong token; 403 {@code
     *                 NO_HTTP_SESSION_COOKIE} for the right id and token without any HTTP session
     *                 cookie; 410 {@code PAGE_UNKNOWN} for an id that is not live, when the
     *                 caller's HTTP session is gone, or when the page belongs to another HTTP
     *                 session than the caller's
     */
    public Pass check(HttpServletRequest request) {
        String id = request.getHeader(PAGE_HEADER);
        return check(request, id != null ? id : request.getHeader(OLD_PAGE_HEADER), request.getHeader(TOKEN_HEADER));
    }

    /** As {@link #check(HttpServletRequest)}, with the id and token from elsewhere (a URL, a body). */
    public Pass check(HttpServletRequest request, String id, String token) {
        if (shared != null) {
            return shared.check(request, id, token);
        }
        LivePage page = authenticate(request, id, token);
        return new Pass(page.id(), page.httpKey(), page);
    }

    /**
     * The page a checked request speaks for. With a store, a page this node has no live copy of
     * is loaded for the page's cursor {@code after} (one round trip to the store).
     *
     * @throws Refusal 410 {@code PAGE_UNKNOWN}; 503 {@code STORE_UNAVAILABLE}
     */
    public LivePage page(Pass pass, long after) {
        return shared == null ? pass.page() : shared.page(pass, after);
    }

    private LivePage authenticate(HttpServletRequest request, String id, String token) {
        if (id == null || token == null) {
            throw new Refusal(403, "BAD_TOKEN", "missing page id or token");
        }
        LivePage page = pages.get(id);
        HttpSession http = request.getSession(false);
        Object key = http == null ? null : http.getAttribute(HTTP_KEY);
        if (page == null || key == null) {
            throw unknownOrCookieless(request, page, token);
        }
        if (!Secrets.matches(token, page.token())) {
            throw new Refusal(403, "BAD_TOKEN", "wrong token for this page");
        }
        if (!Secrets.matches(key.toString(), page.httpKey())) {
            // Pages opened at once by a browser without a cookie each start an HTTP session and
            // keep only the last cookie: such a page must make a new handshake in the browser's
            // session. The old page stays bound to its own HTTP session: nothing is granted.
            throw new Refusal(410, "PAGE_UNKNOWN", "this page belongs to another HTTP session;"
                    + " make a new handshake");
        }
        page.touch();
        return page;
    }

    /**
     * Why a request found no page. A request with no HTTP session cookie at all, for a
     * live page whose token it knows, is the page itself: its browser did not send the cookie,
     * and a new handshake would not help. Without the token it learns only what 410 tells anyone.
     */
    private static Refusal unknownOrCookieless(HttpServletRequest request, LivePage page, String token) {
        if (page != null && request.getRequestedSessionId() == null && Secrets.matches(token, page.token())) {
            return new Refusal(403, "NO_HTTP_SESSION_COOKIE", "the request carries no HTTP session cookie; the"
                    + " cookie set by the handshake must come with every request, the SSE stream included"
                    + " (check the cookie's Path and SameSite, and third-party cookie blocking)");
        }
        return new Refusal(410, "PAGE_UNKNOWN", "no such page; make a new handshake");
    }

    /**
     * The key of the caller's pages, as {@link LivePage#httpKey()} holds it: its HTTP session's,
     * or with a store its browser cookie's; {@code null} for a caller without one.
     */
    public String ownerOf(HttpServletRequest request) {
        if (shared != null) {
            return shared.browserOf(request);
        }
        HttpSession http = request.getSession(false);
        Object key = http == null ? null : http.getAttribute(HTTP_KEY);
        return key == null ? null : key.toString();
    }

    /** The live page with that id, or {@code null}. */
    public LivePage find(String id) {
        return pages.get(id);
    }

    /** A live view of every page this node holds. */
    public Collection<LivePage> all() {
        return Collections.unmodifiableCollection(pages.values());
    }

    /** The live pages on a normalised page path. */
    Collection<LivePage> onPage(String normalisedPath) {
        Set<LivePage> s = byPath.get(normalisedPath);
        return s == null ? List.of() : Collections.unmodifiableCollection(s);
    }

    /** The live pages of one HTTP session. */
    Collection<LivePage> ofHttpSession(HttpSession http) {
        Object key = http.getAttribute(HTTP_KEY);
        List<LivePage> s = key == null ? null : byHttpKey.get(key.toString());
        return s == null ? List.of() : s;
    }

    /** Number of live pages. */
    public int size() {
        return pages.size();
    }

    void addListener(PageListener listener) {
        listeners.add(listener);
    }

    /** Tells the listeners that {@code page}'s queue overflowed. */
    void overflowed(LivePage page) {
        meters.resyncs.increment();
        PageLog.overflowed(page);
        notify(l -> l.resync(page), page);
    }

    /**
     * Ends {@code page} for {@code reason}; a second call does nothing. With a store, a page
     * unloaded, invalidated or ended with its HTTP session ends on every node.
     */
    public void end(LivePage page, EndReason reason) {
        if (!page.markEnded()) {
            return;
        }
        PageLog.ended(page, reason);
        remove(page);
        if (shared == null) {
            count.decrementAndGet();
        } else if (reason == EndReason.UNLOADED || reason == EndReason.INVALIDATED
                || reason == EndReason.HTTP_SESSION_ENDED) {
            shared.end(page.id());
        }
        notify(l -> l.destroyed(page), page);
    }

    /** Ends page {@code id} everywhere, whether or not this node holds it (with a store). */
    public void endEverywhere(Pass pass) {
        if (pass.page() != null) {
            end(pass.page(), EndReason.UNLOADED);
        } else if (shared != null) {
            shared.end(pass.id());
        }
    }

    private void remove(LivePage page) {
        pages.remove(page.id(), page);
        unindex(byPath, page.path(), page);
        byHttpKey.computeIfPresent(page.httpKey(), (k, list) -> minus(list, page));
        page.queue().close();
    }

    /**
     * Drops this node's copy of a page that lives on in the store (or ended elsewhere): no
     * listener is told, and the page's held request here, if any, is closed.
     */
    void forget(LivePage page) {
        if (page.markEnded()) {
            remove(page);
        }
    }

    /** Registers a copy; returns the id of the last push delivered before (see {@link SharedPages}). */
    long register(LivePage page) {
        synchronized (deliveryLock) {
            pages.put(page.id(), page);
            index(byPath, page.path(), page);
            byHttpKey.compute(page.httpKey(), (k, list) -> plus(list, page));
            return lastDelivered;
        }
    }

    /** Reopens a stale copy for the page's cursor {@code after}; returns the last push delivered before. */
    long reopen(LivePage page, long after) {
        synchronized (deliveryLock) {
            page.queue().reopen(after);
            return lastDelivered;
        }
    }

    /** Called under {@link #deliveryLock} by each delivery. */
    void delivered(long id) {
        lastDelivered = id;
    }

    /** Called under {@link #deliveryLock} by each delivery of a page's topic subscription change. */
    void topicChanged(long id) {
        lastTopicChange = id;
    }

    /** The id of the last topic subscription change delivered here; under {@link #deliveryLock}. */
    long lastTopicChange() {
        return lastTopicChange;
    }

    /** Every push up to {@code id} has been delivered to this node's copies. */
    void heard(long id) {
        if (id > horizon) {
            horizon = id;
        }
    }

    /** The id up to which every push was delivered here (0 without a store). */
    long horizon() {
        return horizon;
    }

    /** Whether pages live in a store (this node holds copies). */
    public boolean shared() {
        return shared != null;
    }

    /** The page applied its private updates up to {@code seq}: tell the store. */
    void acknowledged(LivePage page, long seq) {
        if (shared != null) {
            shared.acknowledge(page.id(), seq);
        }
    }

    /**
     * Ends every page of the HTTP session with that key; with a store, every page of that browser
     * on every node.
     */
    void endAll(String httpKey) {
        byHttpKey.getOrDefault(httpKey, List.of()).forEach(s -> end(s, EndReason.HTTP_SESSION_ENDED));
        if (shared != null) {
            shared.endBrowser(httpKey);
        }
    }

    /**
     * Housekeeping, once per sweep interval: ends pages idle past the timeout, and those never
     * heard from past the first-contact timeout (handshakes nobody came back to, such as a flood's),
     * and gives every held request a heartbeat (a page with a held request is in use, so it is
     * touched).
     */
    public void sweep() {
        if (shared != null) {
            shared.sweep();
            return;
        }
        long now = System.nanoTime();
        long idle = limits.idleTimeout().toNanos();
        long firstContact = limits.firstContact().toNanos();
        for (LivePage s : pages.values()) {
            Waiter w = s.queue().waiter();
            if (w != null) {
                s.touch();
                w.heartbeat();
            } else if (now - s.lastSeenNanos() > (s.contacted() ? idle : firstContact)) {
                end(s, s.contacted() ? EndReason.IDLE : EndReason.FIRST_CONTACT_TIMEOUT);
            }
        }
    }

    /** Ends every page (the server is stopping). */
    public void endEverything() {
        if (shared != null) {
            List.copyOf(pages.values()).forEach(this::forget); // they live on in the store
            return;
        }
        List.copyOf(pages.values()).forEach(s -> end(s, EndReason.CLOSED));
    }

    private void evictBeyond(List<LivePage> siblings) {
        int over = siblings.size() - limits.maxPerHttpSession();
        if (over > 0) {
            siblings.stream().sorted(Comparator.comparingLong(LivePage::lastSeenNanos)).limit(over)
                    .forEach(s -> end(s, EndReason.EVICTED_OVER_CAP));
        }
    }

    /** The list ({@code null}: none yet) with {@code s} added. */
    private static List<LivePage> plus(List<LivePage> list, LivePage s) {
        if (list == null) {
            return List.of(s);
        }
        LivePage[] more = list.toArray(new LivePage[list.size() + 1]);
        more[list.size()] = s;
        return List.of(more);
    }

    /** The list without {@code s}, or {@code null} (no entry) when nothing is left. */
    private static List<LivePage> minus(List<LivePage> list, LivePage s) {
        List<LivePage> rest = list.stream().filter(p -> p != s).toList();
        return rest.isEmpty() ? null : rest;
    }

    private static Set<LivePage> index(ConcurrentMap<String, Set<LivePage>> index, String key, LivePage s) {
        // compute, not computeIfAbsent then add: unindex may drop an empty set in between.
        return index.compute(key, (k, set) -> {
            Set<LivePage> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(s);
            return result;
        });
    }

    private static void unindex(ConcurrentMap<String, Set<LivePage>> index, String key, LivePage s) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    private void notify(Consumer<PageListener> event, Page page) {
        for (PageListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                Incidents.log("a PageListener for " + page, e);
            }
        }
    }

    private String httpKey(HttpSession http) {
        synchronized (PageRegistry.class) {
            Object key = http.getAttribute(HTTP_KEY);
            if (key == null) {
                key = new HttpSessionKey(Secrets.newSecret(), this);
                http.setAttribute(HTTP_KEY, key);
            }
            return key.toString();
        }
    }
}
