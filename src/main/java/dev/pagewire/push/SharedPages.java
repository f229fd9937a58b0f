package dev.pagewire.push;

import dev.pagewire.security.PageKeys;
import dev.pagewire.security.Secrets;
import dev.pagewire.spi.PageStore;
import dev.pagewire.transport.DeliveryRules;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's side for pages kept in a {@link PageStore} (several nodes, no sticky sessions).
 * The node holds a copy of each page it serves: made at the handshake, or loaded from the store
 * at the page's first request here, then fed by the node's deliveries. A request is checked
 * without any node's memory: the browser cookie and the page token are MACs ({@link PageKeys}).
 *
 * <p><b>Loading a copy</b> (the order that loses nothing): the store is read (the page's record
 * and its updates after the request's cursor, complete up to {@code U}); the copy is registered
 * under the delivery lock, so every push the node delivers from then on reaches it; if the node
 * had already delivered pushes above {@code U} before that ({@code lastDelivered > U}), the store
 * is read again from {@code U}. Duplicates between the reads and the deliveries are dropped by
 * id. A stale copy (its queue overflowed, or the node missed part of the feed) is reopened under
 * the lock and read once. The copy's topic subscriptions are the store's ({@link CopyTopics}),
 * set under the lock before it is registered, so no topic delivery after the read misses it, and
 * set again from a read newer than every subscription change the node delivered meanwhile.
 *
 * <p><b>Threading.</b> Request threads create, check and load (loads of one page are serialised
 * by a striped lock); the housekeeper sweeps.
 */
final class SharedPages {
    private static final System.Logger LOG = System.getLogger("dev.pagewire.push");
    private final PageRegistry registry;
    private final PageStore store;
    private final PageKeys keys;
    private final PageLimits limits;
    private final DeliveryRules rules;
    private final Set<String> touched = ConcurrentHashMap.newKeySet(); // seen, not yet told to the store
    private long lastSweep = System.nanoTime(); // housekeeper only
    private final Object[] loadLocks = new Object[64];

    SharedPages(PageRegistry registry, PageStore store, PageLimits limits, DeliveryRules rules) {
        this.registry = registry;
        this.store = store;
        this.keys = new PageKeys(store.secret());
        this.limits = limits;
        this.rules = rules;
        for (int i = 0; i < loadLocks.length; i++) {
            loadLocks[i] = new Object();
        }
    }

    /** A new page, recorded in the store, its copy registered here. */
    LivePage create(HttpServletRequest request, HttpServletResponse response, String path, String mount) {
        String browser = keys.browser(request);
        if (browser == null) {
            browser = keys.newBrowser(request, response, mount);
        }
        String id = Secrets.newSecret();
        LivePage page = copy(id, path, browser);
        registry.register(page); // first: every push minted after the page's start reaches the copy
        PageStore.Created created;
        try {
            created = store.create(id, path, browser, new PageStore.PageCaps(limits.maxTotal(),
                    limits.maxPerHttpSession(), limits.firstContact().toMillis(), limits.idleTimeout().toMillis()));
        } catch (RuntimeException e) {
            registry.forget(page);
            throw unavailable(e);
        }
        if (created == null) {
            registry.forget(page);
            throw new Refusal(503, "TOO_MANY_PAGES", "the cluster holds its maximum of " + limits.maxTotal()
                    + " pages; try again later");
        }
        page.queue().load(created.start(), List.of(), created.start());
        bindHttpSession(request, browser);
        for (String evicted : created.evicted()) {
            LivePage other = registry.find(evicted);
            if (other != null) {
                registry.end(other, EndReason.EVICTED_OVER_CAP);
            }
        }
        return page;
    }

    /**
     * Checks that the caller may speak for page {@code id}: its browser cookie and the page's
     * token are both right.
     *
     * @throws Refusal 403 {@code BAD_TOKEN} or {@code NO_BROWSER_COOKIE}
     */
    PageRegistry.Pass check(HttpServletRequest request, String id, String token) {
        if (id == null || token == null) {
            throw new Refusal(403, "BAD_TOKEN", "missing page id or token");
        }
        // Fast path, no MAC computed: a copy here whose token (a MAC of its id and its browser's
        // key) and browser key both match. Knowing both is what the MACs below prove.
        LivePage copy = registry.find(id);
        String claimed = PageKeys.claimedBrowser(request);
        if (copy != null && claimed != null && claimed.equals(copy.httpKey()) && Secrets.matches(token, copy.token())) {
            return new PageRegistry.Pass(id, claimed, copy);
        }
        String browser = keys.browser(request);
        if (browser == null) {
            throw new Refusal(403, "NO_BROWSER_COOKIE", "the request carries no valid " + PageKeys.COOKIE
                    + " cookie; the cookie set by the handshake must come with every request, the SSE stream"
                    + " included (check the cookie's Path and SameSite, and third-party cookie blocking)");
        }
        String expected = keys.token(id, browser);
        if (!Secrets.matches(token, expected)) {
            throw new Refusal(403, "BAD_TOKEN", "wrong token for this page");
        }
        return new PageRegistry.Pass(id, browser, copy);
    }

    /**
     * The page, loaded from the store for the cursor {@code after} if this node has no live copy.
     *
     * @throws Refusal 410 {@code PAGE_UNKNOWN} (ended, expired, or the store lost it); 503
     *                 {@code STORE_UNAVAILABLE}
     */
    LivePage page(PageRegistry.Pass pass, long after) {
        LivePage page = pass.page();
        if (page == null || !page.isValid() || page.queue().mustLoad(after)) {
            synchronized (loadLocks[Math.floorMod(pass.id().hashCode(), loadLocks.length)]) {
                page = load(pass, after);
            }
        }
        if (!page.contacted()) {
            firstContact(page); // the store must not let it expire at the first-contact timeout
        }
        page.touch(); // the sweep tells the store about pages touched since the last one
        return page;
    }

    /**
     * The page's first request on the node that made it: its lifetime in the store becomes the
     * idle timeout now (one round trip, once per page), not at the next sweep, which could come
     * after the first-contact timeout. Copies loaded from the store had theirs started by the load.
     */
    private void firstContact(LivePage page) {
        try {
            store.touch(List.of(page.id()));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "the page store is unreachable; the touch waits for the sweep: " + e.getMessage());
        }
    }

    private LivePage load(PageRegistry.Pass pass, long after) {
        LivePage page = registry.find(pass.id());
        if (page != null && !page.queue().mustLoad(after)) {
            return page; // loaded by another request meanwhile
        }
        if (page != null) {
            long lastDelivered = registry.reopen(page, after);
            PageStore.Catchup c = catchUp(pass.id(), after, page);
            settleTopics(pass, page, after, c); // it may have missed changes while stale
            apply(page, after, c);
            LOG.log(Level.DEBUG, () -> "page " + pass.id() + " loaded again (up to " + c.upTo()
                    + ", delivered " + lastDelivered + ")");
            return page;
        }
        PageStore.Catchup c = catchUp(pass.id(), after, null);
        page = copy(pass.id(), c.path(), pass.browser());
        long lastDelivered;
        synchronized (registry.deliveryLock) { // subscribed before any topic delivery can reach it
            restoreTopics(page, c);
            lastDelivered = registry.register(page);
        }
        apply(page, after, c);
        long upTo = c.upTo();
        PageStore.Catchup last = c;
        while (lastDelivered > upTo) { // pushes delivered here before the copy was registered
            PageStore.Catchup more = catchUp(pass.id(), upTo, page);
            apply(page, after, more); // the page's cursor stays the floor: the first read's updates are still due
            last = more;
            if (more.upTo() <= upTo) {
                break;
            }
            upTo = more.upTo();
        }
        settleTopics(pass, page, after, last); // subscription changes delivered before the registration
        page.touch(); // contacted: the load started its lifetime in the store
        return page;
    }

    /**
     * Gives a registered copy the store's topic subscriptions as read in {@code c}, once no
     * subscription change above that read has been delivered here (such a change reached the copy
     * already and the read would undo it); else reads the store again. Changes are rare, so this
     * settles at once.
     */
    private void settleTopics(PageRegistry.Pass pass, LivePage page, long after, PageStore.Catchup c) {
        PageStore.Catchup read = c;
        while (true) {
            synchronized (registry.deliveryLock) {
                if (registry.lastTopicChange() <= read.upTo()) {
                    restoreTopics(page, read);
                    return;
                }
            }
            read = catchUp(pass.id(), read.upTo(), page);
            apply(page, after, read); // already delivered to the copy, most likely: dropped by id
        }
    }

    /** Subscribes the copy to the topic patterns the store holds for the page. Under the delivery lock. */
    private void restoreTopics(LivePage page, PageStore.Catchup c) {
        CopyTopics topics = registry.copyTopics;
        if (topics != null) {
            topics.restore(page, c.topics());
        }
    }

    private PageStore.Catchup catchUp(String id, long after, LivePage copy) {
        PageStore.Catchup c;
        try {
            c = store.catchUp(id, after, limits.maxQueuedUpdates());
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (c == null) {
            if (copy != null) {
                registry.forget(copy);
            }
            throw new Refusal(410, "PAGE_UNKNOWN", "no such page; make a new handshake");
        }
        return c;
    }

    private static void apply(LivePage page, long after, PageStore.Catchup c) {
        List<UpdateQueue.Entry> entries = new ArrayList<>(c.updates().size());
        for (PageStore.Update u : c.updates()) {
            String key = u.key() == null ? null : PushService.conflation(u.topic(), u.key());
            entries.add(u.resync() ? new UpdateQueue.Entry(u.id(), UpdateQueue.RESYNC)
                    : new UpdateQueue.Entry(u.id(), u.payload(), key));
            if (u.personal()) {
                page.personal(u.id());
            }
        }
        page.queue().load(after, entries, c.upTo());
    }

    private LivePage copy(String id, String path, String browser) {
        return new LivePage(id, keys.token(id, browser), path, browser, registry,
                UpdateQueue.copy(limits.maxQueuedUpdates(), limits.maxQueuedChars(), registry::horizon,
                        registry.meters.resends),
                rules.adviceFor(path));
    }

    /** Ends page {@code id} everywhere, whether or not this node has a copy (the unload beacon). */
    void end(String id) {
        store.end(id);
    }

    /** The browser key of the caller's valid {@code pagewire} cookie, or {@code null}. */
    String browserOf(HttpServletRequest request) {
        return keys.browser(request);
    }

    /** Ends every page of browser {@code browser} everywhere (its HTTP session ended). */
    void endBrowser(String browser) {
        store.endBrowser(browser);
    }

    /** The page applied its private updates up to {@code seq}. */
    void acknowledge(String id, long seq) {
        store.acknowledge(id, seq);
    }

    /**
     * Housekeeping: heartbeats to held requests; the lifetime of pages heard from here started
     * again in the store (one round trip), and copies the store no longer has dropped, so their
     * next request learns it; copies not heard from here for the idle timeout dropped (ended,
     * with listeners told, when the store no longer has them either).
     */
    void sweep() {
        long now = System.nanoTime();
        long idle = limits.idleTimeout().toNanos();
        List<LivePage> quiet = new ArrayList<>();
        for (LivePage page : registry.all()) {
            Waiter w = page.queue().waiter();
            if (w != null) {
                page.touch();
                w.heartbeat();
            } else if (now - page.lastSeenNanos() > idle) {
                quiet.add(page);
            }
            if (page.lastSeenNanos() - lastSweep >= 0) {
                touched.add(page.id());
            }
        }
        lastSweep = now;
        if (!touched.isEmpty()) {
            List<String> ids = List.copyOf(touched);
            touched.removeAll(ids);
            Set<String> gone;
            try {
                gone = store.touch(ids);
            } catch (RuntimeException e) {
                touched.addAll(ids); // sent again at the next sweep
                LOG.log(Level.DEBUG, "the page store is unreachable; touches wait: " + e.getMessage());
                return;
            }
            for (String id : gone) { // ended elsewhere, or the store lost them: the next request says so
                LivePage page = registry.find(id);
                if (page != null) {
                    registry.forget(page);
                }
            }
        }
        if (quiet.isEmpty()) {
            return;
        }
        Set<String> live;
        try {
            live = store.live(quiet.stream().map(LivePage::id).toList());
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "the page store is unreachable; idle copies are kept for now: " + e.getMessage());
            return;
        }
        for (LivePage page : quiet) {
            if (live.contains(page.id())) {
                registry.forget(page); // served by other nodes now
            } else {
                registry.end(page, EndReason.IDLE);
            }
        }
    }

    /**
     * Puts the browser's key in the caller's HTTP session, when it has one, so that {@code
     * Pages.forHttpSession} finds that browser's pages served here, and its end ends them.
     */
    private void bindHttpSession(HttpServletRequest request, String browser) {
        HttpSession http = request.getSession(false);
        if (http != null) {
            try {
                Object key = http.getAttribute(PageRegistry.HTTP_KEY);
                if (key == null || !browser.equals(key.toString())) {
                    http.setAttribute(PageRegistry.HTTP_KEY, new HttpSessionKey(browser, registry));
                }
            } catch (IllegalStateException e) {
                // invalidated meanwhile: nothing to bind to
            }
        }
    }

    private static Refusal unavailable(RuntimeException e) {
        LOG.log(Level.DEBUG, "the page store is unreachable: " + e.getMessage());
        return new Refusal(503, "STORE_UNAVAILABLE", "the page store is unreachable; try again shortly");
    }
}
