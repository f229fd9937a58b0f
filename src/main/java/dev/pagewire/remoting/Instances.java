package dev.pagewire.remoting;

import dev.pagewire.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Finds or creates the instance a call runs on, by the proxy's scope. Session-scoped instances
 * live in an attribute of the HTTP session, page-scoped ones in the page; each is
 * created at most once per page even when calls race.
 */
final class Instances {
    private static final String HOLDER = "dev.pagewire.instances";
    private static final Object[] LOCKS = new Object[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new Object();
        }
    }

    private Instances() {
    }

    static Object of(RemoteProxyInfo proxy, HttpServletRequest request, Page page) {
        return switch (proxy.scope()) {
            case APPLICATION, REQUEST -> proxy.instances().get();
            case SESSION -> httpSessionHolder(request.getSession()).computeIfAbsent(proxy.name(),
                    k -> proxy.instances().get());
            case PAGE, SCRIPT -> pageHolder(page).computeIfAbsent(proxy.name(),
                    k -> proxy.instances().get());
        };
    }

    private static ConcurrentMap<String, Object> httpSessionHolder(HttpSession session) {
        // Containers may hand out a new facade per request, so lock on the id, not the object.
        return holder(session.getId(), session::getAttribute, session::setAttribute);
    }

    private static ConcurrentMap<String, Object> pageHolder(Page page) {
        return holder(page.id(), page::getAttribute, page::setAttribute);
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentMap<String, Object> holder(String id, Function<String, Object> get,
                                                        BiConsumer<String, Object> set) {
        synchronized (LOCKS[Math.floorMod(id.hashCode(), LOCKS.length)]) {
            Object holder = get.apply(HOLDER);
            if (holder == null) {
                holder = new ConcurrentHashMap<String, Object>();
                set.accept(HOLDER, holder);
            }
            return (ConcurrentMap<String, Object>) holder;
        }
    }
}
