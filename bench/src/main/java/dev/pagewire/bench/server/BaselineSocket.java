package dev.pagewire.bench.server;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-written WebSocket baselines, as a person would write them with the Jakarta WebSocket
 * API and nothing else: {@code /base/socket} keeps every open session in a set and a broadcast
 * sends the same text to each with the blocking basic remote on the broadcasting thread (as the
 * SSE baseline writes); {@code /base/rpcsocket} answers each text message, a call batch as
 * {@code POST /base/call}'s body, with {@link BaselineRpcServlet#handle}'s reply on the thread
 * that read it. No sessions of its own, no token, acknowledgements, heartbeats or limits.
 */
final class BaselineSocket {
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final BaselineRpcServlet rpc;

    BaselineSocket(BaselineRpcServlet rpc) {
        this.rpc = rpc;
    }

    /** Adds both endpoints to the container (call from a container initializer, before start ends). */
    void register(ServerContainer container) throws DeploymentException {
        container.addEndpoint(config("/base/socket", new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(String.class, text -> { }); // pages only listen
                open.add(session);
            }

            @Override
            public void onClose(Session session, CloseReason reason) {
                open.remove(session);
            }

            @Override
            public void onError(Session session, Throwable failure) {
                open.remove(session);
            }
        }));
        container.addEndpoint(config("/base/rpcsocket", new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                    StringWriter reply = new StringWriter(256);
                    try {
                        rpc.handle(new StringReader(text), reply);
                        session.getBasicRemote().sendText(reply.toString());
                    } catch (IOException | RuntimeException e) {
                        close(session);
                    }
                });
            }
        }));
    }

    /** Open {@code /base/socket} sessions. */
    int open() {
        return open.size();
    }

    /** Sends {@code text} to every open {@code /base/socket} session; returns how many. */
    int broadcast(String text) {
        int n = 0;
        for (Session session : open) {
            try {
                synchronized (session) { // the basic remote takes one message at a time
                    session.getBasicRemote().sendText(text);
                }
                n++;
            } catch (IOException | RuntimeException gone) {
                open.remove(session);
            }
        }
        return n;
    }

    private static ServerEndpointConfig config(String path, Endpoint endpoint) {
        return ServerEndpointConfig.Builder.create(endpoint.getClass(), path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(endpoint);
                    }
                }).build();
    }

    private static void close(Session session) {
        try {
            session.close();
        } catch (IOException ignored) {
            // gone anyway
        }
    }
}
