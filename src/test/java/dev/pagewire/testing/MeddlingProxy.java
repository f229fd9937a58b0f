package dev.pagewire.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on a free loopback port in front of one server, that can misbehave as proxies
 * in the field do: {@link #refuseWebSockets(boolean)} answers every WebSocket upgrade with 403,
 * and {@link #bufferEventStreams(boolean)} holds the whole response to a {@code GET .../stream}
 * (an SSE stream) until it ends, as a buffering proxy does. Switched off, it passes bytes through;
 * a switch applies to requests from then on.
 *
 * <pre>{@code
 * try (MeddlingProxy proxy = MeddlingProxy.start(server.port()).refuseWebSockets(true)) {
 *     browser.driver().get("http://localhost:" + proxy.port() + "/push/");
 * }
 * }</pre>
 *
 * <p>It reads each request's head and its {@code Content-Length} body (browsers send no chunked
 * requests) to decide, and after a passed upgrade copies raw bytes. Threading: one daemon thread
 * accepts; each connection has a daemon thread per direction. The public methods are safe from
 * any thread.
 */
public final class MeddlingProxy implements AutoCloseable {
    private static final byte[] REFUSAL = ("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int backend;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger upgradesRefused = new AtomicInteger();
    private final AtomicInteger streamsBuffered = new AtomicInteger();
    private volatile boolean refuseWebSockets;
    private volatile boolean bufferEventStreams;

    private MeddlingProxy(ServerSocket server, int backend) {
        this.server = server;
        this.backend = backend;
    }

    /** Starts a proxy, passing everything through, in front of the server on loopback {@code backendPort}. */
    public static MeddlingProxy start(int backendPort) {
        MeddlingProxy proxy;
        try {
            proxy = new MeddlingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), backendPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("meddling-proxy-accept", proxy::accept).start();
        return proxy;
    }

    /** The port browsers connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** With {@code true}, WebSocket upgrades get 403 and the connection closes. */
    public MeddlingProxy refuseWebSockets(boolean refuse) {
        refuseWebSockets = refuse;
        return this;
    }

    /** With {@code true}, SSE responses reach the browser only when they end. */
    public MeddlingProxy bufferEventStreams(boolean buffer) {
        bufferEventStreams = buffer;
        return this;
    }

    /** WebSocket upgrades refused so far. */
    public int upgradesRefused() {
        return upgradesRefused.get();
    }

    /** SSE streams held back so far. */
    public int streamsBuffered() {
        return streamsBuffered.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(MeddlingProxy::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), backend);
                open.add(client);
                open.add(upstream);
                Connection connection = new Connection(client, upstream);
                daemon("meddling-proxy-up", connection::copyRequests).start();
                daemon("meddling-proxy-down", connection::copyResponses).start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One client connection and its connection to the server. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean buffering;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void copyRequests() {
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                while (true) {
                    byte[] head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    String text = new String(head, StandardCharsets.ISO_8859_1);
                    String lower = text.toLowerCase(Locale.ROOT);
                    boolean upgrade = lower.contains("\nupgrade: websocket");
                    if (upgrade && refuseWebSockets) {
                        upgradesRefused.incrementAndGet();
                        client.getOutputStream().write(REFUSAL);
                        return;
                    }
                    if (bufferEventStreams && text.startsWith("GET ") && text.contains("/stream?")) {
                        streamsBuffered.incrementAndGet();
                        buffering = true;
                    }
                    out.write(head);
                    out.write(in.readNBytes(contentLength(lower)));
                    out.flush();
                    if (upgrade) {
                        in.transferTo(out); // WebSocket frames from here on
                        return;
                    }
                }
            } catch (IOException e) {
                // cut: the finally closes both sides
            } finally {
                end();
            }
        }

        void copyResponses() {
            ByteArrayOutputStream held = new ByteArrayOutputStream();
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (buffering) {
                        held.write(buffer, 0, n);
                    } else {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                out.write(held.toByteArray()); // the response ended: what was held goes now
            } catch (IOException e) {
                // cut
            } finally {
                end();
            }
        }

        private void end() {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    /** The request head up to and with the empty line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static int contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = lowerHead.indexOf('\r', at + 1);
        return Integer.parseInt(lowerHead.substring(at + "\ncontent-length:".length(), end).trim());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
