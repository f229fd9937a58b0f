package dev.pagewire.transport;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * The WebSocket endpoint the container sees for a page's socket. The Jakarta WebSocket
 * specification wants endpoint classes public (Jetty refuses others), and the page's socket
 * itself belongs to Pagewire's internals: this public class, in a package the module does not
 * export, hands every event to its {@link Handler}. Events arrive on the container's threads, as
 * the container delivers them.
 */
public final class SocketEndpoint extends Endpoint {
    /** What happens to the socket. */
    public interface Handler {
        /** The socket is open. */
        void opened(Session session, EndpointConfig config);

        /** The socket closed, however it closed. */
        void closed(Session session, CloseReason reason);

        /** The container reports an error; it closes the socket, and {@link #closed} follows. */
        void failed(Session session, Throwable failure);
    }

    private final Handler handler;

    /** An endpoint handing its events to {@code handler}. */
    public SocketEndpoint(Handler handler) {
        this.handler = handler;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        handler.opened(session, config);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        handler.closed(session, reason);
    }

    @Override
    public void onError(Session session, Throwable failure) {
        handler.failed(session, failure);
    }
}
