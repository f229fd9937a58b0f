package dev.pagewire.bench.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-written push baseline: a bare {@link AsyncContext} long-poll and a bare Server-Sent
 * Events stream, with the same wire shapes as Pagewire's Comet and SSE so the load generator
 * treats both alike.
 *
 * <ul>
 *   <li>{@code POST /base/poll} {@code {"ack":n}}: answered at once with {@code {"updates":[..]}}
 *       if an update above {@code n} exists, else parked (25 s, then {@code {"updates":[]}}).
 *       A broadcast answers and completes every parked poll: every delivery ends a request, as in
 *       Pagewire's Comet.</li>
 *   <li>{@code GET /base/longpoll?since=n}: the same long-poll as the simplest one a person would
 *       write (and the shared peers harness's baseline): no body to read, and the {@code 200} and its
 *       headers are flushed as the poll parks, so the reply's body goes out chunked.</li>
 *   <li>{@code GET /base/stream?ack=n}: {@code text/event-stream}, kept open; every broadcast is
 *       written and flushed as {@code id: n / data: {...}}.</li>
 *   <li>{@code /base/socket}: a WebSocket ({@link BaselineSocket}); every broadcast is one text
 *       message {@code {"type":"updates","updates":[...]}}, the frame Pagewire's socket sends.</li>
 * </ul>
 * The broadcast encodes the update once and writes it on the thread that asked for it, with
 * ordinary blocking servlet writes: a poll's reply into its response's buffer, which the
 * container sends on one of its own threads as {@code complete()} ends the request (as the peers
 * harness's baseline does), a stream's event flushed at once. No sessions, queues,
 * acknowledgements, heartbeats or limits.
 */
final class BaselinePush implements PushTarget {
    static final long HOLD_MILLIS = 25_000;
    static final long STREAM_MILLIS = 600_000;

    private final Set<AsyncContext> polls = ConcurrentHashMap.newKeySet();
    private final Set<AsyncContext> streams = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final List<String> updates = new ArrayList<>(); // guarded by lock; updates.get(i) has seq i+1
    private final BaselineSocket sockets;

    BaselinePush(BaselineSocket sockets) {
        this.sockets = sockets;
    }

    final HttpServlet pollServlet = new HttpServlet() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long ack;
            try (var in = new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8)) {
                JsonObject body = JsonParser.parseReader(in).getAsJsonObject();
                ack = body.has("ack") ? body.get("ack").getAsLong() : 0;
            } catch (RuntimeException e) {
                response.sendError(400);
                return;
            }
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            synchronized (lock) {
                if (updates.size() > ack) {
                    response.getOutputStream().write(pollReply(updatesAfter(ack)));
                    return;
                }
                polls.add(hold(request));
            }
        }
    };

    final HttpServlet getPollServlet = new HttpServlet() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String since = request.getParameter("since");
            long ack = since == null ? 0 : Long.parseLong(since);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            synchronized (lock) {
                if (updates.size() > ack) {
                    response.getOutputStream().write(pollReply(updatesAfter(ack)));
                    return;
                }
            }
            AsyncContext async = hold(request);
            response.flushBuffer(); // the 200 and its headers go out now: the client knows it is parked
            synchronized (lock) {
                if (updates.size() > ack) { // a broadcast came in between
                    send(async, pollReply(updatesAfter(ack)), true);
                    return;
                }
                polls.add(async);
            }
        }
    };

    /** Puts a poll in async mode for the hold time, answered empty when it passes. */
    private AsyncContext hold(HttpServletRequest request) {
        AsyncContext async = request.startAsync();
        async.setTimeout(HOLD_MILLIS);
        async.addListener(new Listener(polls, async) {
            @Override
            public void onTimeout(AsyncEvent event) {
                if (polls.remove(async)) {
                    send(async, pollReply("[]"), true);
                }
            }
        });
        return async;
    }

    final HttpServlet streamServlet = new HttpServlet() {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long ack = request.getParameter("ack") == null ? 0 : Long.parseLong(request.getParameter("ack"));
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            AsyncContext async = request.startAsync();
            async.setTimeout(STREAM_MILLIS);
            async.addListener(new Listener(streams, async));
            OutputStream out = response.getOutputStream();
            out.write("retry: 5000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            synchronized (lock) {
                for (long seq = ack + 1; seq <= updates.size(); seq++) {
                    out.write(event(seq, updates.get((int) seq - 1)));
                }
                out.flush();
                streams.add(async);
            }
        }
    };

    @Override
    public int parked() {
        return polls.size() + streams.size() + sockets.open();
    }

    @Override
    public int broadcast(String token) {
        List<AsyncContext> toAnswer;
        List<AsyncContext> toStream;
        byte[] reply;
        byte[] event;
        String frame;
        synchronized (lock) {
            String update = "{\"seq\":" + (updates.size() + 1) + ",\"call\":\"bench.recv\",\"args\":[\""
                    + token + "\"]}"; // the token is [A-Za-z0-9-]: nothing to escape
            updates.add(update);
            reply = pollReply("[" + update + "]");
            event = event(updates.size(), update);
            frame = "{\"type\":\"updates\",\"updates\":[" + update + "]}";
            toAnswer = new ArrayList<>(polls);
            polls.clear();
            toStream = new ArrayList<>(streams);
        }
        for (AsyncContext async : toAnswer) {
            send(async, reply, true);
        }
        for (AsyncContext async : toStream) {
            send(async, event, false);
        }
        return toAnswer.size() + toStream.size() + sockets.broadcast(frame);
    }

    private String updatesAfter(long ack) {
        StringBuilder out = new StringBuilder("[");
        for (long seq = ack + 1; seq <= updates.size(); seq++) {
            out.append(seq > ack + 1 ? "," : "").append(updates.get((int) seq - 1));
        }
        return out.append(']').toString();
    }

    private static byte[] pollReply(String array) {
        return ("{\"updates\":" + array + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] event(long seq, String update) {
        return ("id: " + seq + "\ndata: " + update + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private void send(AsyncContext async, byte[] bytes, boolean complete) {
        try {
            OutputStream out = async.getResponse().getOutputStream();
            out.write(bytes);
            if (complete) {
                async.complete(); // the container writes what is buffered as it ends the request, on its own thread
            } else {
                out.flush();
            }
        } catch (IOException | RuntimeException gone) {
            streams.remove(async);
            try {
                async.complete();
            } catch (RuntimeException ignored) {
                // already over
            }
        }
    }

    private static class Listener implements AsyncListener {
        private final Set<AsyncContext> set;
        private final AsyncContext async;

        Listener(Set<AsyncContext> set, AsyncContext async) {
            this.set = set;
            this.async = async;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            set.remove(async);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            set.remove(async);
            async.complete();
        }

        @Override
        public void onError(AsyncEvent event) {
            set.remove(async);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
