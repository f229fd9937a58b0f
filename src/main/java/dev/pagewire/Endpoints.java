package dev.pagewire;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.pagewire.files.Downloads;
import dev.pagewire.files.MultipartReader;
import dev.pagewire.files.Uploads;
import dev.pagewire.push.CurrentPage;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.PageRegistry;
import dev.pagewire.push.RecentBatches;
import dev.pagewire.push.UpdateQueue;
import dev.pagewire.remoting.BatchRun;
import dev.pagewire.remoting.CallBatch;
import dev.pagewire.remoting.Reply;
import dev.pagewire.transport.DeferredReply;
import dev.pagewire.transport.DeliveryRules;
import dev.pagewire.transport.TransportSettings;
import dev.pagewire.transport.UpdateFormat;
import dev.pagewire.web.Bodies;
import dev.pagewire.web.JsonReplies;
import dev.pagewire.web.Query;
import dev.pagewire.web.Refusal;
import dev.pagewire.web.RequestLog;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The POST and stream endpoints of {@link PagewireServlet}: handshake, calls, polls, streams,
 * acknowledgements and unload. Each checks what it needs in a fixed order (origin, content type
 * and size, page and token, body) and throws a {@link Refusal} for the first failure.
 * Stateless; requests run on the container's threads. A call's reply that waits for
 * asynchronous methods is written by the thread completing the last of them, or by a container
 * thread when the batch's time budget runs out ({@link BatchRun}).
 */
final class Endpoints {
    private final Pagewire pagewire;

    Endpoints(Pagewire pagewire) {
        this.pagewire = pagewire;
    }

    void handshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        admitHandshake(request, response);
        JsonObject body = readObject(Bodies.openJson(request, pagewire.maxBodyBytes));
        String path = body.has("path") || !body.has("page") ? string(body, "path") : string(body, "page");
        LivePage page = pagewire.pageRegistry.create(request, response, path, pagewire.publicPath.of(request));
        DeliveryRules.Advice advice = page.advice();
        TransportSettings settings = pagewire.transports.settings();
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("page").value(page.id())
                    .name("session").value(page.id()) // the id's name before the first release
                    .name("token").value(page.token())
                    .name("time").value(pagewire.clock.millis())
                    .name("limits").beginObject().name("maxCallsPerBatch").value(pagewire.maxCallsPerBatch)
                    .name("maxUploadBytes").value(pagewire.uploadLimits.maxFileBytes())
                    .name("maxUploadBytesPerCall").value(pagewire.uploadLimits.maxCallBytes())
                    .name("maxUploadFiles").value(pagewire.uploadLimits.maxFiles()).endObject()
                    .name("delivery").beginObject()
                    .name("mode").value(advice.mode().wireName())
                    .name("allowed").beginArray();
            for (DeliveryMode m : advice.allowedInOrder()) {
                w.value(m.wireName());
            }
            w.endArray()
                    .name("pollMillis").value(advice.pollIntervalMillis())
                    .name("holdMillis").value(settings.hold().toMillis())
                    .name("ackDelayMillis").value(settings.ackDelay().toMillis())
                    .name("heartbeatMillis").value(settings.heartbeat().toMillis())
                    .name("shareTabs").value(pagewire.shareConnections && advice.allowedInOrder().contains(DeliveryMode.WEBSOCKET))
                    // the names before the first release, for hand-written clients (one release)
                    .name("pollInterval").value(advice.pollIntervalMillis())
                    .name("ackDelay").value(settings.ackDelay().toMillis())
                    .endObject()
                    .endObject();
        }
        JsonReplies.send(response, out.toString());
    }

    /** @throws Refusal 429 {@code TOO_MANY_HANDSHAKES}, with {@code Retry-After}, past the client's allowance */
    private void admitHandshake(HttpServletRequest request, HttpServletResponse response) {
        long wait = pagewire.handshakeRate.tryAcquire(pagewire.clients.of(request));
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(wait));
            throw new Refusal(429, "TOO_MANY_HANDSHAKES", "too many new pages from this address; try again in "
                    + wait + " s");
        }
    }

    /**
     * {@code POST call}. The calls start in order on this thread; if some returned a stage still
     * running, the reply waits for them (or for the batch's time budget) without holding a thread,
     * and carries the updates queued by the time it is written.
     */
    void call(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        if (MultipartReader.isMultipart(request.getContentType())) {
            callWithFiles(request, response);
            return;
        }
        Bodies.requireJson(request);
        PageRegistry.Pass pass = pagewire.pageRegistry.check(request);
        CallBatch batch = pagewire.batchReader.read(Bodies.openJson(request, pagewire.maxBodyBytes));
        answer(batch, pass, request, response, () -> { });
    }

    /**
     * {@code POST call} as {@code multipart/form-data}: a batch whose calls carry files. The page
     * and token are checked before a byte of the body is read; the files then go to temporary
     * files, deleted once every call of the batch has finished (on the thread that finishes it).
     */
    private void callWithFiles(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PageRegistry.Pass pass = pagewire.pageRegistry.check(request);
        Uploads uploads = pagewire.multipart.read(request);
        boolean answered = false;
        try {
            CallBatch batch = pagewire.batchReader.read(uploads.json()).withFiles(uploads.files());
            answer(batch, pass, request, response, uploads::delete);
            answered = true;
        } finally {
            if (!answered) {
                uploads.delete();
            }
        }
    }

    /**
     * Runs {@code batch} and writes its reply, at once or when its last asynchronous call has
     * finished; {@code done} runs after the replies are made, on the thread that made them. A
     * numbered batch that reached the server before (a browser resends a POST whose reused
     * connection failed) does not run again: it gets the first run's replies ({@link RecentBatches}).
     */
    private void answer(CallBatch batch, PageRegistry.Pass pass, HttpServletRequest request,
                        HttpServletResponse response, Runnable done) throws IOException {
        LivePage page = pagewire.pageRegistry.page(pass, Math.max(0, batch.ack()));
        long ack = Math.max(0, batch.ack());
        if (batch.number() < 0) {
            run(batch, request, response, page, ack, replies -> done.run());
            return;
        }
        RecentBatches recent = page.recentBatches();
        RecentBatches.Claim claim = recent.claim(batch.number());
        if (claim.fresh()) {
            run(batch, request, response, page, ack, replies -> {
                recent.answered(batch.number(), replies);
                done.run();
            });
            return;
        }
        done.run(); // a repeat runs nothing: files it brought again go at once
        if (!claim.running()) {
            send(response, callReply(claim.replies(), page, ack));
            return;
        }
        // The first run answers within its time budget, which began before this request's; the
        // grace is for a first run that never ends, when the page gets no reply for its calls.
        JsonReplies.prepareOk(response);
        DeferredReply[] deferred = new DeferredReply[1];
        deferred[0] = DeferredReply.start(request, response, pagewire.batchTimeBudgetMillis + 10_000,
                () -> deferred[0].send(() -> callReply("\"replies\":[]", page, ack)), pagewire.meters.bytesWritten);
        recent.whenAnswered(batch.number(), replies -> deferred[0].send(() -> callReply(
                replies == null ? "\"replies\":[]" : replies, page, ack)));
    }

    /** Runs {@code batch} and answers it; {@code answered} gets the replies' JSON first. */
    private void run(CallBatch batch, HttpServletRequest request, HttpServletResponse response, LivePage page,
                     long ack, Consumer<String> answered) throws IOException {
        BatchRun run = start(batch, request, page);
        if (!run.waiting()) {
            String replies = repliesJson(run.finishNow());
            answered.accept(replies);
            send(response, callReply(replies, page, ack));
            return;
        }
        JsonReplies.prepareOk(response);
        DeferredReply deferred = DeferredReply.start(request, response, run.remainingMillis(), run::expire,
                pagewire.meters.bytesWritten);
        run.whenDone(done -> {
            String replies = repliesJson(done);
            answered.accept(replies);
            deferred.send(() -> callReply(replies, page, ack));
        });
    }

    private void send(HttpServletResponse response, String reply) throws IOException {
        pagewire.meters.bytesWritten.add(reply.length());
        if (!pagewire.transports.draining()) {
            JsonReplies.send(response, reply);
            return;
        }
        // In a graceful stop the container may close the connections once no request is inside a
        // servlet, which may be before it has written what a servlet left in its buffer: the
        // reply goes out whole, with its length, before the servlet returns.
        byte[] body = reply.getBytes(StandardCharsets.UTF_8);
        JsonReplies.prepareOk(response);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /**
     * {@code GET download/{id}}: a file a remote method returned, once, to the HTTP session of the
     * page that called it ({@link Downloads}).
     */
    void download(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
        pagewire.origins.check(request);
        pagewire.downloads.serve(id, pagewire.pageRegistry.ownerOf(request), request, response);
    }

    /**
     * Takes the batch's acknowledgement and starts its calls in order on this thread, with {@code
     * page} as {@link CurrentPage}: for {@code POST call} and for a batch over a page's socket.
     */
    BatchRun start(CallBatch batch, HttpServletRequest request, LivePage page) {
        if (batch.ack() >= 0) {
            page.ack(batch.ack());
        }
        CurrentPage.set(page);
        try {
            return pagewire.dispatcher.dispatch(batch, request, page);
        } finally {
            CurrentPage.clear();
        }
    }

    /** The {@code "replies"} member of a call's reply. */
    private String repliesJson(List<Reply> replies) {
        StringWriter out = new StringWriter(32 + 32 * replies.size());
        pagewire.replyWriter.write(replies, out);
        return out.toString();
    }

    /** The body of a call's reply: the replies, and the updates queued after {@code ack} by now. */
    private String callReply(String replies, LivePage page, long ack) {
        StringBuilder out = new StringBuilder(replies.length() + 16);
        out.append('{').append(replies);
        UpdateQueue.Slice pending = page.queue().pending(ack);
        if (!pending.updates().isEmpty()) {
            out.append(",\"updates\":");
            UpdateFormat.appendArray(pending.updates(), out);
        }
        if (pending.upTo() > 0) {
            out.append(",\"upTo\":").append(pending.upTo());
        }
        return out.append(",\"time\":").append(pagewire.clock.millis()).append('}').toString();
    }

    void poll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        Bodies.requireJson(request);
        PageRegistry.Pass pass = pagewire.pageRegistry.check(request);
        PollBody body = readPoll(request);
        pagewire.transports.poll(request, response, pagewire.pageRegistry.page(pass, body.ack()), body.ack(), body.hold());
    }

    /**
     * {@code GET stream}. EventSource hides HTTP statuses from the page, so a request that
     * accepts {@code text/event-stream} learns of a refusal from an {@code event: refused} whose
     * data carries the status and the usual error; other clients get the status itself.
     */
    void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String query = request.getQueryString();
            PageRegistry.Pass pass = pagewire.pageRegistry.check(request, pageId(query), Query.get(query, "token"));
            long ack = Math.max(parseAck(Query.get(query, "ack")), parseAck(request.getHeader("Last-Event-ID")));
            pagewire.transports.stream(request, response, pagewire.pageRegistry.page(pass, ack), ack);
        } catch (Refusal refusal) {
            String accept = request.getHeader("Accept");
            if (accept == null || !accept.contains("text/event-stream") || response.isCommitted()) {
                throw refusal;
            }
            pagewire.meters.refused(refusal.code());
            RequestLog.refused(request, refusal);
            StringWriter data = new StringWriter();
            try (JsonWriter w = new JsonWriter(data)) {
                w.beginObject().name("status").value(refusal.status()).name("error").beginObject()
                        .name("code").value(refusal.code()).name("message").value(refusal.getMessage())
                        .endObject().endObject();
            }
            response.resetBuffer();
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache, no-store");
            response.getWriter().write("event: refused\ndata: " + data + "\n\n");
        }
    }

    /**
     * {@code GET socket}: the upgrade to a page's WebSocket, where the container has WebSocket
     * support. Host (checked for every request) and Origin are checked here, as for a POST;
     * the page id and token come in the first frame ({@link PageSocket}).
     *
     * @throws Refusal 403 {@code FORBIDDEN_ORIGIN}; 400 {@code MALFORMED} for a request that is no
     *                 WebSocket upgrade; 501 {@code WEBSOCKET_UNAVAILABLE} without a WebSocket container
     */
    void socket(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        Object container = request.getServletContext().getAttribute(PageSocket.CONTAINER);
        if (container == null) {
            throw new Refusal(501, "WEBSOCKET_UNAVAILABLE", "this server's container has no WebSocket support");
        }
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            throw Refusal.malformed("not a WebSocket upgrade");
        }
        pagewire.transports.requireNotDraining(response);
        PageSocket.upgrade(pagewire, this, container, request, response);
    }

    void ack(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        Bodies.requireJson(request);
        PageRegistry.Pass pass = pagewire.pageRegistry.check(request);
        long ack = readPoll(request).ack();
        pagewire.pageRegistry.page(pass, ack).ack(ack);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** Beacons cannot set headers, so the id and token come in the body, which may be text/plain. */
    void unload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
            Bodies.requireJson(request);
        }
        long declared = request.getContentLengthLong();
        if (declared > pagewire.maxBodyBytes) {
            throw new Refusal(413, "PAYLOAD_TOO_LARGE", "request body exceeds " + pagewire.maxBodyBytes + " bytes");
        }
        JsonObject body = readObject(new java.io.InputStreamReader(
                Bodies.limited(request.getInputStream(), pagewire.maxBodyBytes), java.nio.charset.StandardCharsets.UTF_8));
        String id = string(body, body.has("page") || !body.has("session") ? "page" : "session");
        if (pagewire.pageRegistry.find(id) != null || pagewire.pageRegistry.shared()) {
            pagewire.pageRegistry.endEverywhere(pagewire.pageRegistry.check(request, id, string(body, "token")));
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** Longest function name a page may report as unexposed. */
    static final int MAX_FUNCTION_NAME = 200;

    /**
     * {@code POST unexposed}: the page reports that a push called {@code function}, which it has
     * not exposed ({@code {"function":"ui.show"}}); counted, and logged once per name.
     *
     * @throws Refusal 400 {@code MALFORMED} for a missing, empty or over-long name
     */
    void unexposed(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        Bodies.requireJson(request);
        pagewire.pageRegistry.check(request);
        String function = string(readObject(Bodies.openJson(request, pagewire.maxBodyBytes)), "function");
        if (function.isEmpty() || function.length() > MAX_FUNCTION_NAME) {
            throw Refusal.malformed("\"function\" must be 1 to " + MAX_FUNCTION_NAME + " characters");
        }
        pagewire.meters.unexposed(function);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** The stream's page id: {@code page=}, or {@code session=} as hand-written clients sent it before the first release. */
    private static String pageId(String query) {
        String id = Query.get(query, "page");
        return id != null ? id : Query.get(query, "session");
    }

    JsonObject readObject(Reader body) {
        JsonReader in = new JsonReader(body);
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(pagewire.maxJsonDepth);
        try {
            JsonElement e = JsonParser.parseReader(in);
            if (!e.isJsonObject()) {
                throw Refusal.malformed("the body must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw Refusal.malformed("malformed JSON body");
        }
    }

    static String string(JsonObject body, String name) {
        JsonElement e = body.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw Refusal.malformed("the body needs a string \"" + name + "\"");
        }
        return e.getAsString();
    }

    /** The body of a poll or an ack: {@code {"ack": n, "hold": true}}, both optional. */
    private record PollBody(long ack, boolean hold) {
        private static final byte[] ACK = "{\"ack\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] HOLD_TRUE = ",\"hold\":true}".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] HOLD_FALSE = ",\"hold\":false}".getBytes(StandardCharsets.US_ASCII);

        /**
         * {@code {"ack":n}}, {@code {"ack":n,"hold":true}} or {@code {"ack":n,"hold":false}}
         * exactly, with {@code n} a whole number of up to 18 digits without a leading zero;
         * {@code null} for any other body.
         */
        static PollBody engines(byte[] b) {
            if (b.length < ACK.length + 2 || !Arrays.equals(b, 0, ACK.length, ACK, 0, ACK.length)) {
                return null;
            }
            int i = ACK.length;
            int digits = i;
            long ack = 0;
            while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - digits < 18) {
                ack = ack * 10 + (b[i] - '0');
                i++;
            }
            if (i == digits || (b[digits] == '0' && i - digits > 1)) {
                return null;
            }
            int rest = b.length - i;
            if (rest == 1 && b[i] == '}') {
                return new PollBody(ack, false);
            }
            if (rest == HOLD_TRUE.length && Arrays.equals(b, i, b.length, HOLD_TRUE, 0, rest)) {
                return new PollBody(ack, true);
            }
            if (rest == HOLD_FALSE.length && Arrays.equals(b, i, b.length, HOLD_FALSE, 0, rest)) {
                return new PollBody(ack, false);
            }
            return null;
        }
    }

    /**
     * Reads a poll's or an ack's body. The engine's own bodies ({@code {"ack":n}} and {@code
     * {"ack":n,"hold":true}}, as {@code JSON.stringify} writes them) are recognised byte by byte
     * without a parser: a Comet page sends one per update. Anything else goes through
     * {@link #readPoll(Reader)}, which gives the same answer for those bodies and refuses what is
     * malformed.
     */
    private PollBody readPoll(HttpServletRequest request) throws IOException {
        byte[] small = Bodies.readSmallJson(request, pagewire.maxBodyBytes);
        if (small == null) {
            return readPoll(Bodies.openJson(request, pagewire.maxBodyBytes));
        }
        PollBody quick = PollBody.engines(small);
        return quick != null ? quick : readPoll(new java.io.StringReader(new String(small, StandardCharsets.UTF_8)));
    }

    /**
     * Reads a poll's or an ack's body in one streaming pass (no tree: a Comet re-poll's whole
     * body is these two members). Other members are skipped; a repeated one is refused.
     */
    private PollBody readPoll(Reader body) throws IOException {
        JsonReader in = new JsonReader(body);
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(pagewire.maxJsonDepth);
        try {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                throw Refusal.malformed("the body must be a JSON object");
            }
            long ack = 0;
            boolean hold = false;
            boolean sawAck = false;
            boolean sawHold = false;
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                if (name.equals("ack")) {
                    sawAck = once(sawAck, name);
                    ack = wholeAck(in);
                } else if (name.equals("hold")) {
                    sawHold = once(sawHold, name);
                    if (in.peek() != JsonToken.BOOLEAN) {
                        throw Refusal.malformed("\"hold\" must be true or false");
                    }
                    hold = in.nextBoolean();
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw Refusal.malformed("malformed JSON body");
            }
            return new PollBody(ack, hold);
        } catch (com.google.gson.stream.MalformedJsonException | JsonParseException | IllegalStateException
                 | NumberFormatException | java.io.EOFException e) {
            throw Refusal.malformed("malformed JSON body");
        }
    }

    private static boolean once(boolean seen, String name) {
        if (seen) {
            throw Refusal.malformed("the body repeats \"" + name + "\"");
        }
        return true;
    }

    private static long wholeAck(JsonReader in) throws IOException {
        if (in.peek() != JsonToken.NUMBER) {
            throw Refusal.malformed("\"ack\" must be a whole number");
        }
        String text = in.nextString();
        long ack;
        try {
            ack = new java.math.BigDecimal(text).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw Refusal.malformed("\"ack\" must be a whole number");
        }
        if (ack < 0) {
            throw Refusal.malformed("\"ack\" must not be negative");
        }
        return ack;
    }

    private static long parseAck(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw Refusal.malformed("ack must be a whole number");
        }
    }
}
