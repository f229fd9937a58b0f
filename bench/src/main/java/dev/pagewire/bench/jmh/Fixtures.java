package dev.pagewire.bench.jmh;

import dev.pagewire.Pagewire;
import dev.pagewire.bench.server.Calc;
import dev.pagewire.bench.server.Echo;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.PushService;
import dev.pagewire.push.PageRegistry;
import dev.pagewire.remoting.BatchReader;
import dev.pagewire.remoting.CallDispatcher;
import dev.pagewire.remoting.ReplyWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pagewire's internals exactly as {@code Pagewire.builder()...build()} wires them (taken from a
 * built instance by reflection, so the benchmarks follow the library's own wiring and defaults),
 * without a container: requests and HTTP sessions are small stand-ins.
 */
final class Fixtures {
    final Pagewire pagewire;
    final JsonCodec codec;
    final PageRegistry sessions;
    final PushService pages;
    final CallDispatcher dispatcher;
    final BatchReader batchReader;
    final ReplyWriter replyWriter;

    Fixtures(Class<?>... dataTransferObjects) {
        pagewire = Pagewire.builder().expose("Echo", new Echo()).expose("Calc", new Calc())
                .dataTransferObject(dataTransferObjects).maxPages(1_000_000).build();
        codec = field("codec");
        sessions = field("sessions");
        pages = (PushService) pagewire.pages();
        dispatcher = field("dispatcher");
        batchReader = field("batchReader");
        replyWriter = field("replyWriter");
    }

    @SuppressWarnings("unchecked")
    private <T> T field(String name) {
        try {
            Field f = Pagewire.class.getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(pagewire);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Pagewire has no field " + name + " any more: update the benchmark", e);
        }
    }

    /** A new page with its own HTTP session, as a handshake makes it. */
    LivePage newPage(String path) {
        return sessions.create(request(httpSession()), null, path, "/pagewire"); // in memory the response is not used
    }

    static HttpServletRequest request(HttpSession session) {
        return (HttpServletRequest) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getSession" -> session;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    static HttpSession httpSession() {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        String id = Long.toHexString(System.nanoTime());
        return (HttpSession) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (p, m, a) -> switch (m.getName()) {
                    case "getAttribute" -> attributes.get((String) a[0]);
                    case "setAttribute" -> attributes.put((String) a[0], a[1]);
                    case "removeAttribute" -> attributes.remove((String) a[0]);
                    case "getId" -> id;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }
}
