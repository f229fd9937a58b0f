package dev.pagewire.transport;

import com.google.gson.JsonPrimitive;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The frames of one WebSocket that carries several pages (tabs sharing one connection,
 * docs/PROTOCOL.md): each page has its own {@link SocketWriter}, and this puts their frames on
 * the socket one at a time, in the order they come, because a container takes one asynchronous
 * send at a time. A page's frames keep their order, since its writer has at most one in flight;
 * so at most one frame per page waits here. The frames of an attached page carry its id
 * ({@link #tagged}).
 *
 * <p><b>Threading.</b> Writers offer frames on the delivery threads; the container's completion
 * of the frame in flight, on its own thread, starts the next one. {@code inFlight} admits one
 * sender at a time; nothing blocks.
 */
public final class SocketFrames implements SocketWriter.Output {
    private record Frame(String text, Consumer<Throwable> done) {
    }

    private final SocketWriter.Output socket;
    private final Queue<Frame> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();

    /** Frames for {@code socket}, the container's socket. */
    public SocketFrames(SocketWriter.Output socket) {
        this.socket = socket;
    }

    /** {@code frame} (a JSON object) with {@code "page": pageId} first. */
    public static String tagged(String pageId, String frame) {
        return "{\"page\":" + new JsonPrimitive(pageId) + "," + frame.substring(1);
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        waiting.add(new Frame(frame, done));
        sendNext();
    }

    /** Closes the socket, and with it every page it carries. */
    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    private void sendNext() {
        while (!waiting.isEmpty() && inFlight.compareAndSet(false, true)) {
            Frame next = waiting.poll();
            if (next == null) {
                inFlight.set(false); // taken by no one else: only the holder of inFlight polls
                continue;
            }
            socket.send(next.text(), failure -> {
                inFlight.set(false);
                next.done().accept(failure);
                sendNext();
            });
            return;
        }
    }
}
