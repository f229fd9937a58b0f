package dev.pagewire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.PageRegistry;
import dev.pagewire.push.Waiter;
import dev.pagewire.remoting.BatchRun;
import dev.pagewire.remoting.CallBatch;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.remoting.Reply;
import dev.pagewire.transport.SocketEndpoint;
import dev.pagewire.transport.SocketFrames;
import dev.pagewire.transport.SocketWriter;
import dev.pagewire.web.Refusal;
import dev.pagewire.web.RequestLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * One page's WebSocket ({@code GET {mount}/socket}, delivery mode websocket): reads the page's
 * frames and answers them (docs/PROTOCOL.md, WebSocket). The upgrade passes the checks of every
 * request (Host, Origin); the first frame, {@code hello}, carries the page id and token (never
 * the URL, which gets logged) and is checked as a POST's headers are, against the upgrade's
 * cookies and HTTP session, then against the page's delivery rules. After it the socket carries
 * the page's updates, its calls and their replies, acknowledgements and heartbeats; everything
 * it writes goes through its one {@link SocketWriter}.
 *
 * <p><b>Shared by tabs.</b> Other pages of the same browser may {@code attach} to the socket (the
 * leader tab carries its followers' updates, docs/PROTOCOL.md): each is checked as a hello is,
 * against the same upgrade's cookies and HTTP session, and gets a {@link SocketWriter} of its own
 * (its own numbering, acknowledgements and resend), whose frames carry its id. {@link
 * SocketFrames} puts the writers' frames on the socket one at a time. Calls stay the socket's own
 * page's; attached pages make theirs with their own requests.
 *
 * <p><b>Threading.</b> The container delivers one frame at a time per socket, on its threads; a
 * batch's calls start in order on that thread, as for {@code POST call}, so a slow synchronous
 * method holds the page's next frames back. A batch waiting for asynchronous methods holds no
 * thread: its reply is offered to the writer by the thread completing the last of them, or by a
 * the timer thread when the batch's time budget runs out. When the socket closes, the batches
 * still running are ended (their replies are dropped; methods already running are not
 * interrupted) and the page goes on waiting for its next connection with its updates queued.
 */
final class PageSocket implements SocketEndpoint.Handler, SocketWriter.Output {
    /** The attribute under which Jakarta WebSocket containers put their {@link ServerContainer}. */
    static final String CONTAINER = "jakarta.websocket.server.ServerContainer";
    /** How the engine's call frames begin (its JSON has no spaces): read once, by the batch reader. */
    private static final String CALL_FRAME = "{\"type\":\"call\",";
    /** How the engine's acknowledgements of the socket's own page are written, up to the number. */
    private static final String ACK_FRAME = "{\"type\":\"ack\",\"ack\":";
    /** A socket that has not said hello within this time is closed. */
    private static final long HELLO_TIMEOUT_MILLIS = 30_000;
    /**
     * Bounds how long a blocking write may hold its thread (Tomcat): the close frame of a socket
     * whose reader stopped (on a delivery thread), or a call's reply written by the thread that
     * made it; a reader that takes neither within it is cut, and comes back with nothing lost.
     */
    private static final Long BLOCKING_SEND_TIMEOUT_MILLIS = 2_000L; // boxed once: every socket's user properties hold it

    private static final String SOCKET_SUFFIX = "/socket";
    private static volatile String lastSocketPath = SOCKET_SUFFIX; // see socketPath

    private final Pagewire pagewire;
    private final Endpoints endpoints;
    private final HttpServletRequest request;
    // Made at first use, as most sockets never have a batch waiting or a page attached: an idle
    // socket's page costs as little as it can.
    private volatile Set<BatchRun> running;
    private final SocketFrames frames = new SocketFrames(this);
    private volatile Map<String, Attached> attached; // by page id
    private volatile Session session;
    private volatile LivePage page;
    private volatile SocketWriter writer;
    private StringBuilder parts; // a frame arriving in parts; only the container's reading thread

    private PageSocket(Pagewire pagewire, Endpoints endpoints, HttpServletRequest request) {
        this.pagewire = pagewire;
        this.endpoints = endpoints;
        this.request = request;
    }

    /**
     * Upgrades {@code request} (checked already) to a page socket through the container's
     * {@code ServerContainer}, found in the context attribute {@link #CONTAINER}.
     */
    static void upgrade(Pagewire pagewire, Endpoints endpoints, Object container, HttpServletRequest request,
                        HttpServletResponse response) throws IOException {
        PageSocket socket = new PageSocket(pagewire, endpoints, SocketRequest.of(request, pagewire.registry.namedRoles()));
        SocketEndpoint endpoint = new SocketEndpoint(socket);
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(SocketEndpoint.class,
                        socketPath(request.getServletPath()))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(endpoint);
                    }
                }).build();
        try {
            ((ServerContainer) container).upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new IllegalStateException("the container refused the WebSocket endpoint", e);
        }
    }

    /**
     * The endpoint's path under {@code servletPath}: the string made for the last upgrade when it
     * is the same, as it nearly always is, so that the configuration each socket keeps does not
     * hold a copy of its own. One string, not a cache by path: with an extension mapping the
     * servlet path is the request's.
     */
    private static String socketPath(String servletPath) {
        String last = lastSocketPath;
        if (last.length() == servletPath.length() + SOCKET_SUFFIX.length() && last.startsWith(servletPath)) {
            return last;
        }
        return lastSocketPath = servletPath + SOCKET_SUFFIX;
    }

    @Override
    public void opened(Session opened, EndpointConfig config) {
        pagewire.transports.socketOpened();
        session = opened;
        // The container's buffer stays at its small default: containers allocate it per socket
        // (Tomcat 2 bytes a character), so maxBodyBytes there would cost megabytes per idle page.
        // A longer frame comes in parts, joined here up to maxBodyBytes.
        opened.setMaxIdleTimeout(HELLO_TIMEOUT_MILLIS);
        opened.getAsyncRemote().setSendTimeout(pagewire.transports.settings().socketSendTimeout().toMillis());
        opened.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", BLOCKING_SEND_TIMEOUT_MILLIS);
        opened.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::part);
    }

    /**
     * A part of a text frame, on the container's reading thread (one at a time per socket): a
     * whole frame in one part goes straight on; parts are joined, and a frame longer than
     * {@code maxBodyBytes} closes the socket with 1009, as the container would.
     */
    private void part(String text, boolean last) {
        StringBuilder joined = parts;
        if (joined == null && last) {
            receive(text);
            return;
        }
        if (joined == null) {
            joined = parts = new StringBuilder(text.length() * 2);
        }
        if (joined.length() + (long) text.length() > pagewire.maxBodyBytes) {
            parts = null;
            close(CloseReason.CloseCodes.TOO_BIG.getCode(), "a frame over maxBodyBytes (" + pagewire.maxBodyBytes + ")");
            return;
        }
        joined.append(text);
        if (last) {
            parts = null;
            receive(joined.toString());
        }
    }

    @Override
    public void closed(Session closed, CloseReason reason) {
        pagewire.transports.socketClosed();
        SocketWriter own = writer;
        if (own != null) {
            own.finished();
        }
        Map<String, Attached> lanes = attached;
        if (lanes != null) {
            lanes.values().forEach(Attached::finished);
            lanes.clear();
        }
        Set<BatchRun> waiting = running;
        if (waiting != null) {
            waiting.forEach(BatchRun::expire);
        }
    }

    @Override
    public void failed(Session failed, Throwable failure) {
        // A reset connection or a frame too large: the container closes the socket, and onClose follows.
    }

    private void receive(String text) {
        try {
            LivePage current = page;
            if (current != null && text.startsWith(CALL_FRAME) && callQuickly(current, text)) {
                return;
            }
            if (current != null && text.startsWith(ACK_FRAME) && ackQuickly(current, text)) {
                return;
            }
            JsonObject frame = endpoints.readObject(new StringReader(text));
            String type = Endpoints.string(frame, "type");
            if (current == null) {
                hello(type, frame);
                return;
            }
            current.touch();
            switch (type) {
                case "call" -> call(current, wholeNumber(frame, "batch"), null, text);
                case "ack" -> ack(current, frame);
                case "attach" -> attach(current, frame);
                case "detach" -> detach(Endpoints.string(frame, "page"));
                case "hb" -> { } // the page is alive: the touch above, and the container's idle timer
                default -> throw Refusal.malformed("unknown frame type " + type);
            }
        } catch (Refusal refusal) {
            refuse(refusal);
        } catch (RuntimeException e) {
            refuse(new Refusal(500, "INTERNAL", "Server error (incident " + Incidents.log("a WebSocket frame", e) + ")"));
        }
    }

    /** The first frame: the page id and token, checked as a POST's headers, and the page's cursor. */
    private void hello(String type, JsonObject frame) {
        if (!type.equals("hello")) {
            throw new Refusal(403, "BAD_TOKEN", "the first frame must be a hello with the page id and token");
        }
        long ack = wholeNumber(frame, "ack");
        PageRegistry.Pass pass = pagewire.pageRegistry.check(request, Endpoints.string(frame, "page"),
                Endpoints.string(frame, "token"));
        LivePage checked = pagewire.pageRegistry.page(pass, ack);
        writer = pagewire.transports.socket(checked, ack, frames, "{\"type\":\"open\"}");
        checked.carriedBy(null); // its own socket now
        page = checked;
        // Heartbeats come both ways: a page silent for two of them and a grace has lost its connection.
        session.setMaxIdleTimeout(2 * pagewire.transports.settings().heartbeat().toMillis() + 10_000);
    }

    /** An acknowledgement of the socket's own page, or (with {@code page}) of an attached one. */
    private void ack(LivePage current, JsonObject frame) {
        long ack = wholeNumber(frame, "ack");
        if (!frame.has("page")) {
            current.ack(ack);
            return;
        }
        Map<String, Attached> lanes = attached;
        Attached lane = lanes == null ? null : lanes.get(Endpoints.string(frame, "page"));
        if (lane != null) { // else detached meanwhile: its next attach carries the ack
            lane.page.touch();
            lane.page.ack(ack);
        }
    }

    /**
     * Another page of this browser asks the socket to carry its updates: checked as a hello, then
     * answered {@code attached} and sent every update above its {@code ack}, or answered {@code
     * detached} with the refusal. Attaching again replaces the page's previous writer here.
     */
    private void attach(LivePage carrier, JsonObject frame) {
        String id = Endpoints.string(frame, "page");
        try {
            if (!pagewire.shareConnections) {
                throw new Refusal(403, "SHARING_OFF", "this server does not let pages share a connection");
            }
            long ack = wholeNumber(frame, "ack");
            PageRegistry.Pass pass = pagewire.pageRegistry.check(request, id, Endpoints.string(frame, "token"));
            LivePage page = pagewire.pageRegistry.page(pass, ack);
            if (page == carrier) {
                throw Refusal.malformed("a socket's own page cannot attach to it");
            }
            Attached lane = new Attached(page, carrier.id());
            attached().put(page.id(), lane); // first: the writer it replaces, closed now, is no longer current
            page.carriedBy(carrier.id()); // before the writer's first frame, "attached", goes out
            try {
                lane.writer = pagewire.transports.socket(page, ack, lane, "{\"type\":\"attached\"}");
            } catch (Refusal refusal) {
                attached().remove(page.id(), lane); // its rules refuse websocket: nothing was replaced
                page.carriedBy(null);
                throw refusal;
            }
        } catch (Refusal refusal) {
            pagewire.meters.refused(refusal.code());
            RequestLog.refused(request, refusal);
            frames.send(SocketFrames.tagged(id, "{\"type\":\"detached\"," + refusalMembers(refusal) + "}"), failure -> { });
        }
    }

    /** The page's tab went away or took its own connection: the socket no longer carries it. */
    private void detach(String id) {
        Map<String, Attached> lanes = attached;
        Attached lane = lanes == null ? null : lanes.remove(id);
        if (lane != null) {
            lane.finished();
        }
    }

    /**
     * An acknowledgement as the engine writes it ({@code {"type":"ack","ack":n}}), read without a
     * JSON parser: every page sends one after each burst of updates. False for anything else (a
     * leading zero, another member, a number past 18 digits), which the general path then reads.
     */
    private static boolean ackQuickly(LivePage current, String text) {
        int start = ACK_FRAME.length();
        int end = text.length() - 1;
        int digits = end - start;
        if (digits < 1 || digits > 18 || text.charAt(end) != '}' || (text.charAt(start) == '0' && digits > 1)) {
            return false;
        }
        long ack = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            ack = ack * 10 + (c - '0');
        }
        current.touch();
        current.ack(ack);
        return true;
    }

    /**
     * A call frame as the engine writes it, read once, by the batch reader, which takes its
     * {@code batch} number too; false when the frame must take the general path (any refusal:
     * that path finds the number to answer it with).
     */
    private boolean callQuickly(LivePage current, String text) {
        CallBatch batch;
        try {
            batch = pagewire.batchReader.read(new StringReader(text));
        } catch (Refusal | IOException e) {
            return false;
        }
        if (batch.number() < 0) {
            return false;
        }
        current.touch();
        call(current, batch.number(), batch, text);
        return true;
    }

    /**
     * A batch, as {@code POST call}'s body plus its {@code batch} number, which the reply carries
     * back: {@code read} if it was read already, else read from {@code text}. A batch refused as
     * a whole gets a reply with the refusal instead of replies.
     */
    private void call(LivePage current, long batchId, CallBatch read, String text) {
        SocketWriter own = writer;
        try {
            CallBatch batch = read != null ? read : pagewire.batchReader.read(new StringReader(text));
            BatchRun run = endpoints.start(batch, SocketRequest.forBatch(request), current);
            if (!run.waiting()) {
                own.reply(replies(batchId, run.finishNow()));
                return;
            }
            running().add(run);
            ScheduledFuture<?> budget = pagewire.transports.schedule(run::expire, run.remainingMillis());
            run.whenDone(replies -> {
                budget.cancel(false);
                running().remove(run);
                own.reply(replies(batchId, replies));
            });
        } catch (Refusal refusal) {
            pagewire.meters.refused(refusal.code());
            RequestLog.refused(request, refusal);
            own.reply("{\"type\":\"replies\",\"batch\":" + batchId + "," + refusalMembers(refusal) + "}");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private String replies(long batchId, List<Reply> replies) {
        StringWriter out = new StringWriter(64 + 32 * replies.size());
        out.write("{\"type\":\"replies\",\"batch\":" + batchId + ",");
        pagewire.replyWriter.write(replies, out);
        out.write(",\"time\":" + pagewire.clock.millis() + '}');
        return out.toString();
    }

    /**
     * A refused hello (or a frame that breaks the protocol): a {@code refused} frame with the
     * status and error a POST would get, then the socket closes.
     */
    private void refuse(Refusal refusal) {
        pagewire.meters.refused(refusal.code());
        RequestLog.refused(request, refusal);
        String frame = "{\"type\":\"refused\"," + refusalMembers(refusal) + "}";
        frames.send(frame, failure -> close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), refusal.code()));
    }

    private static String refusalMembers(Refusal refusal) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject().name("status").value(refusal.status()).name("error").beginObject()
                    .name("code").value(refusal.code()).name("message").value(refusal.getMessage())
                    .endObject().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String object = out.toString();
        return object.substring(1, object.length() - 1);
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        try {
            session.getAsyncRemote().sendText(frame, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public boolean sendNow(String frame) throws IOException {
        session.getBasicRemote().sendText(frame);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            // Closed already, or the connection is gone: onClose ends the page's socket either way.
        }
    }

    /**
     * A page attached to this socket: the output of its own {@link SocketWriter}, whose frames
     * carry its id. When the writer closes (the page ended, took a connection of its own, or
     * overflowed) the page is detached with a {@code detached} frame, unless a later attach of the
     * same page replaced it here.
     */
    private final class Attached implements SocketWriter.Output {
        private final LivePage page;
        private final String carrierId;
        private volatile SocketWriter writer;

        Attached(LivePage page, String carrierId) {
            this.page = page;
            this.carrierId = carrierId;
        }

        @Override
        public void send(String frame, Consumer<Throwable> done) {
            frames.send(SocketFrames.tagged(page.id(), frame), done);
        }

        @Override
        public void close(int code, String reason) {
            if (attached().remove(page.id(), this)) {
                finished();
                frames.send(SocketFrames.tagged(page.id(), "{\"type\":\"detached\",\"code\":" + code
                        + ",\"reason\":" + new JsonPrimitive(reason) + "}"), failure -> { });
            }
        }

        /**
         * The socket no longer carries the page. A later connection of the page (the same leader's
         * next socket, noticed before this one's close) has made its own writer the waiter, and
         * keeps its carrier.
         */
        void finished() {
            SocketWriter own = writer;
            Waiter now = page.queue().waiter();
            boolean last = now == null || now == own;
            if (own != null) {
                own.finished();
            }
            if (last && page.carriedBy().filter(carrierId::equals).isPresent()) {
                page.carriedBy(null);
            }
        }
    }

    private synchronized Map<String, Attached> attached() {
        if (attached == null) {
            attached = new ConcurrentHashMap<>();
        }
        return attached;
    }

    private synchronized Set<BatchRun> running() {
        if (running == null) {
            running = ConcurrentHashMap.newKeySet();
        }
        return running;
    }

    /** A whole number at least 0 named {@code name}. */
    private static long wholeNumber(JsonObject frame, String name) {
        JsonElement e = frame.get(name);
        try {
            long n = new BigDecimal(e.getAsJsonPrimitive().getAsString()).longValueExact();
            if (n >= 0 && e.getAsJsonPrimitive().isNumber()) {
                return n;
            }
        } catch (RuntimeException ignored) {
            // below
        }
        throw Refusal.malformed("\"" + name + "\" must be a whole number, at least 0");
    }
}
