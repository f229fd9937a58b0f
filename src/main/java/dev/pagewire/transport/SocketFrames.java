package dev.pagewire.transport;

import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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

    private static final VarHandle IN_FLIGHT = Flags.of(MethodHandles.lookup(), "inFlight");

    private final SocketWriter.Output socket;
    private volatile Queue<Frame> waiting; // made when a frame first has to wait: most sockets carry one page
    private volatile boolean inFlight;

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
        Queue<Frame> queue = waiting;
        if ((queue == null || queue.isEmpty()) && IN_FLIGHT.compareAndSet(this, false, true)) {
            write(new Frame(frame, done)); // nothing waits before it: straight on
            return;
        }
        waiting().add(new Frame(frame, done));
        sendNext();
    }

    /** Sends {@code frame} now, blocking, when no frame is in flight nor waiting; else false. */
    @Override
    public boolean sendNow(String frame) throws IOException {
        Queue<Frame> queue = waiting;
        if ((queue == null || queue.isEmpty()) && IN_FLIGHT.compareAndSet(this, false, true)) {
            try {
                return socket.sendNow(frame);
            } finally {
                inFlight = false;
                sendNext(); // what came meanwhile
            }
        }
        return false;
    }

    /** Closes the socket, and with it every page it carries. */
    @Override
    public void close(int code, String reason) {
        socket.close(code, reason);
    }

    private void sendNext() {
        Queue<Frame> queue = waiting;
        while (queue != null && !queue.isEmpty() && IN_FLIGHT.compareAndSet(this, false, true)) {
            Frame next = queue.poll();
            if (next == null) {
                inFlight = false; // taken by no one else: only the holder of inFlight polls
                continue;
            }
            write(next);
            return;
        }
    }

    /** Sends {@code frame}; the caller holds {@code inFlight}, which its completion releases. */
    private void write(Frame frame) {
        socket.send(frame.text(), failure -> {
            inFlight = false;
            frame.done().accept(failure);
            sendNext();
        });
    }

    private synchronized Queue<Frame> waiting() {
        if (waiting == null) {
            waiting = new ConcurrentLinkedQueue<>();
        }
        return waiting;
    }
}
