package dev.pagewire.client;

import dev.pagewire.Page;
import dev.pagewire.Pagewire;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the client's tests share: the base URL of a server, the server's modes, a listener that records. */
final class ClientFixture {
    /** Short reconnect delays: the tests wait on conditions, not on the default backoff. */
    static final Duration[] QUICK_RECONNECT = {Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100)};

    private ClientFixture() {
    }

    /** The Pagewire mounted at {@code /pagewire} on a loopback port. */
    static URI base(int port) {
        return URI.create("http://127.0.0.1:" + port + "/pagewire");
    }

    /** The server's delivery mode of the same name. */
    static dev.pagewire.DeliveryMode onServer(DeliveryMode mode) {
        return dev.pagewire.DeliveryMode.valueOf(mode.name());
    }

    /** The server's only page at {@code path}, or null while there is none. */
    static Page onlyPage(Pagewire pagewire, String path) {
        List<Page> pages = pagewire.pages().forPath(path).pages();
        return pages.size() == 1 ? pages.get(0) : null;
    }

    /** Records every listener event as text, such as {@code resync lost} or {@code problem UNKNOWN_FUNCTION}. */
    static final class Recorder implements ClientListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void connected(String pageId, DeliveryMode mode) {
            events.add("connected " + mode);
        }

        @Override
        public void disconnected(String pageId, String code) {
            events.add("disconnected " + code);
        }

        @Override
        public void resync(String pageId, String reason) {
            events.add("resync " + reason);
        }

        @Override
        public void problem(PagewireCallException problem) {
            events.add("problem " + problem.code());
        }

        boolean saw(String event) {
            return events.contains(event);
        }
    }
}
