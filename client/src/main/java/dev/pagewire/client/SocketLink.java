package dev.pagewire.client;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket of the JDK's {@link WebSocket}, as the socket transport reads it: whole text
 * frames and the close, in order, from a queue; and sends, one at a time as the JDK requires.
 *
 * <p>Threading: the JDK's threads run the listener, which only queues what arrives and asks for
 * the next frame; the delivery thread takes from the queue. Any thread may send: each send waits
 * for the one before it.
 */
final class SocketLink implements WebSocket.Listener {
    /** What the queue holds: a text frame, or the end with its close code (1006 for a failure). */
    record Event(String text, int closeCode) {
        boolean isClose() {
            return text == null;
        }
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder(); // on the JDK's listener thread only
    private CompletableFuture<WebSocket> sending; // guarded by this: the last send, or the opening

    /** Opens the link: {@code socket} is the JDK's opening of a WebSocket with this as its listener. */
    synchronized void opening(CompletableFuture<WebSocket> socket) {
        sending = socket;
    }

    /** Sends one text frame after those sent before; fails when the socket is gone. */
    synchronized CompletableFuture<WebSocket> send(String text) {
        sending = sending.thenCompose(socket -> socket.sendText(text, true));
        return sending;
    }

    /** The next event, or null when none came within {@code millis}. */
    Event next(long millis) throws InterruptedException {
        return events.poll(Math.max(1, millis), TimeUnit.MILLISECONDS);
    }

    /** Closes the connection at once (the server sees a cut); nothing is read from it after this. */
    synchronized void abort() {
        sending.thenAccept(WebSocket::abort);
    }

    @Override
    public void onOpen(WebSocket socket) {
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            events.add(new Event(partial.toString(), 0));
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        socket.request(1); // the protocol has none: ignored
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        events.add(new Event(null, statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        events.add(new Event(null, 1006));
    }
}
