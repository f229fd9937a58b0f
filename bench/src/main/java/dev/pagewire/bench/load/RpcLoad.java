package dev.pagewire.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Closed-loop HTTP/1.1 keep-alive load: a fixed number of connections, each sending its next
 * request as soon as the previous reply has arrived in full. Java NIO, one selector per client
 * thread, loopback only; bounded by time (warm-up, then the measured window, then it stops).
 *
 * <p>A Pagewire connection first makes its own handshake ({@code POST /pagewire/session}) and
 * then sends every call with that page's cookie, session and token, as a page would; a baseline
 * connection sends the same body to {@code /base/call}. Every reply during the warm-up is checked
 * (status 200, one {@code "result"} per call, no {@code "error"}); measured replies are checked
 * for status only, so checking costs the client nothing while it measures.
 *
 * <p>The socket kinds send the same batch as a WebSocket text frame on a connection upgraded once
 * (Pagewire: after its handshake, with the page's {@code hello}; each frame {@code
 * {"type":"call","batch":k,...}}), the next as soon as the previous one's replies came.
 */
public final class RpcLoad {
    /** What to load. */
    public enum Kind {
        PAGEWIRE, BASELINE, FLOOR,
        /** Pagewire's websocket: a handshake, the upgrade and hello, then each batch as a call frame. */
        PAGEWIRE_SOCKET,
        /** The bare WebSocket baseline: each batch as one text message to {@code /base/rpcsocket}. */
        BASELINE_SOCKET;

        boolean socket() {
            return this == PAGEWIRE_SOCKET || this == BASELINE_SOCKET;
        }

        boolean pagewire() {
            return this == PAGEWIRE || this == PAGEWIRE_SOCKET;
        }
    }

    /** One run's outcome; latencies in microseconds. */
    public record Result(long requests, double seconds, int callsPerRequest, long p50, long p90, long p99,
                         long max, long errors, long checked, long badReplies, long reconnects) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        public double callsPerSecond() {
            return requests * (double) callsPerRequest / seconds;
        }
    }

    private final InetSocketAddress address;
    private final Kind kind;
    private final int calls;
    private final byte[] body;
    private final String bodyText;

    public RpcLoad(String host, int port, Kind kind, int calls) {
        if (!host.startsWith("127.") && !host.equals("localhost")) {
            throw new IllegalArgumentException("loopback only");
        }
        this.address = new InetSocketAddress(host, port);
        this.kind = kind;
        this.calls = calls;
        this.bodyText = callsBody(calls);
        this.body = bodyText.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"ack":0,"calls":[...]}}: Echo.echo("hello") and Calc.add(2,40) alternating. */
    public static String callsBody(int calls) {
        StringBuilder b = new StringBuilder("{\"ack\":0,\"calls\":[");
        for (int i = 0; i < calls; i++) {
            b.append(i == 0 ? "" : ",").append(i % 2 == 0
                    ? "{\"id\":" + (i + 1) + ",\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"hello\"]}"
                    : "{\"id\":" + (i + 1) + ",\"proxy\":\"Calc\",\"method\":\"add\",\"args\":[2,40]}");
        }
        return b.append("]}").toString();
    }

    /**
     * Runs {@code connections} connections over {@code threads} selector threads: warm-up for
     * {@code warmupMillis} (replies checked), then measures for {@code measureMillis}.
     * {@code atMeasureStart} and {@code atMeasureEnd} run on a side thread at the window's edges.
     */
    public Result run(int connections, int threads, long warmupMillis, long measureMillis,
                      Runnable atMeasureStart, Runnable atMeasureEnd) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmupMillis * 1_000_000L;
        long measureTo = measureFrom + measureMillis * 1_000_000L;
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = connections / threads + (t < connections % threads ? 1 : 0);
            workers.add(new Worker(n, measureFrom, measureTo));
        }
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < workers.size(); t++) {
            Worker w = workers.get(t);
            Thread th = new Thread(() -> {
                try {
                    w.loop();
                } catch (IOException e) {
                    w.failure = e;
                }
            }, "rpcload-" + t);
            th.start();
            running.add(th);
        }
        Thread edges = new Thread(() -> {
            try {
                sleepUntil(measureFrom);
                atMeasureStart.run();
                sleepUntil(measureTo);
                atMeasureEnd.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rpcload-edges");
        edges.start();
        for (Thread th : running) {
            th.join(warmupMillis + measureMillis + 60_000);
        }
        edges.join(60_000);
        long requests = 0;
        long errors = 0;
        long checked = 0;
        long bad = 0;
        long reconnects = 0;
        long[] all = new long[0];
        for (Worker w : workers) {
            if (w.failure != null) {
                throw w.failure;
            }
            requests += w.count;
            errors += w.errors;
            checked += w.checked;
            bad += w.bad;
            reconnects += w.reconnects;
            int at = all.length;
            all = Arrays.copyOf(all, at + w.count);
            System.arraycopy(w.latencies, 0, all, at, w.count);
        }
        Arrays.sort(all);
        return new Result(requests, measureMillis / 1000.0, calls, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? -1 : all[all.length - 1], errors, checked, bad, reconnects);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private byte[] request(String cookie, String session, String token) {
        String host = "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n";
        String head = switch (kind) {
            case PAGEWIRE_SOCKET, BASELINE_SOCKET -> throw new IllegalStateException("a socket sends frames");
            case FLOOR -> "GET /bench/ready HTTP/1.1\r\n" + host + "\r\n";
            case BASELINE -> "POST /base/call HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            case PAGEWIRE -> "POST /pagewire/call HTTP/1.1\r\n" + host + "Content-Type: application/json\r\n"
                    + "Cookie: " + cookie + "\r\nPagewire-Page: " + session + "\r\nPagewire-Token: "
                    + token + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        };
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        if (kind == Kind.FLOOR) {
            return h;
        }
        byte[] r = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, r, h.length, body.length);
        return r;
    }

    private byte[] handshake() {
        byte[] b = "{\"path\":\"/bench/\"}".getBytes(StandardCharsets.UTF_8);
        return ("POST /pagewire/session HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n{\"path\":\"/bench/\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private boolean goodReply(int status, String text) {
        if (status != 200) {
            return false;
        }
        if (kind == Kind.FLOOR) {
            return text.equals("ok\n");
        }
        int results = 0;
        for (int i = text.indexOf("\"result\":"); i >= 0; i = text.indexOf("\"result\":", i + 1)) {
            results++;
        }
        return results == calls && !text.contains("\"error\"");
    }

    private final class Worker {
        final int n;
        final long measureFrom;
        final long measureTo;
        final Selector selector = Selector.open();
        final ByteBuffer readBuf = ByteBuffer.allocate(64 * 1024);
        long[] latencies = new long[1 << 16];
        int count;
        long errors;
        long checked;
        long bad;
        long reconnects;
        IOException failure;

        Worker(int n, long measureFrom, long measureTo) throws IOException {
            this.n = n;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
        }

        void loop() throws IOException {
            List<Conn> conns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Conn c = new Conn();
                conns.add(c);
                c.connect();
            }
            try {
                while (System.nanoTime() < measureTo) {
                    selector.select(50);
                    var it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        Conn c = (Conn) k.attachment();
                        try {
                            c.ready(k);
                        } catch (IOException | RuntimeException e) {
                            errors++;
                            c.reconnect();
                        }
                    }
                }
            } finally {
                for (Conn c : conns) {
                    c.closeQuietly();
                }
                selector.close();
            }
        }

        final class Conn implements HttpParser.Handler, WsFrames.Handler {
            final HttpParser parser = new HttpParser(this);
            final WsFrames frames = new WsFrames(this);
            boolean upgraded;
            byte[] hello;        // Pagewire's first frame, once the handshake is done
            long batches;
            final ByteArrayOutputStream collected = new ByteArrayOutputStream();
            SocketChannel channel;
            SelectionKey key;
            ByteBuffer out;
            byte[] request;
            boolean handshaking;
            boolean collecting;
            long sentAt;
            int status;
            String head;

            void connect() throws IOException {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(address);
                key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                parser.reset();
                frames.reset();
                upgraded = false;
            }

            void reconnect() throws IOException {
                reconnects++;
                closeQuietly();
                connect();
            }

            void closeQuietly() {
                try {
                    if (channel != null) {
                        channel.close();
                    }
                } catch (IOException ignored) {
                    // closing anyway
                }
            }

            void ready(SelectionKey k) throws IOException {
                if (k.isConnectable()) {
                    channel.finishConnect();
                    if (request == null && hello == null && kind.pagewire()) {
                        handshaking = true;
                        send(handshake());
                    } else if (kind.socket()) {
                        upgrade();
                    } else {
                        if (request == null) {
                            request = RpcLoad.this.request(null, null, null);
                        }
                        send(request);
                    }
                    return;
                }
                if (k.isWritable()) {
                    flush();
                }
                if (k.isReadable()) {
                    readBuf.clear();
                    int r = channel.read(readBuf);
                    if (r < 0) {
                        throw new IOException("closed by the server");
                    }
                    parser.feed(readBuf.array(), 0, r);
                }
            }

            void upgrade() throws IOException {
                String host = address.getHostString() + ":" + address.getPort();
                out = ByteBuffer.wrap(WsFrames.upgrade(kind == Kind.PAGEWIRE_SOCKET ? "/pagewire/socket"
                        : "/base/rpcsocket", host, cookie));
                flush();
            }

            String cookie;

            /** The next batch as a frame (timed like a request). */
            void sendFrame() throws IOException {
                batches++;
                send(WsFrames.text(kind == Kind.PAGEWIRE_SOCKET
                        ? "{\"type\":\"call\",\"batch\":" + batches + "," + bodyText.substring(1) : bodyText));
            }

            @Override
            public void text(String message) {
                try {
                    if (message.startsWith("{\"type\":\"open\"")) {
                        sendFrame();
                    } else if (message.contains("\"replies\"")) {
                        if (collecting) {
                            collected.writeBytes(message.getBytes(StandardCharsets.UTF_8));
                        }
                        status = 200;
                        finished(false);
                    } else if (message.startsWith("{\"type\":\"refused\"")) {
                        throw new IllegalStateException("socket refused: " + message);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void ping(byte[] pong) {
                try {
                    out = ByteBuffer.wrap(pong);
                    flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void closed(int code) {
                throw new IllegalStateException("socket closed by the server: " + code);
            }

            void send(byte[] bytes) throws IOException {
                long now = System.nanoTime();
                sentAt = now;
                collecting = handshaking || now < measureFrom;
                collected.reset();
                out = ByteBuffer.wrap(bytes);
                flush();
            }

            void flush() throws IOException {
                channel.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
            }

            @Override
            public void headers(int status, String head) {
                this.status = status;
                this.head = head;
                if (status == 101) {
                    upgraded = true;
                    try {
                        if (hello != null) {
                            out = ByteBuffer.wrap(hello);
                            flush(); // then the first batch once the server says "open"
                        } else {
                            sendFrame();
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void body(byte[] buf, int off, int len) {
                if (upgraded) {
                    frames.feed(buf, off, len);
                    return;
                }
                if (collecting) {
                    collected.write(buf, off, len);
                }
            }

            @Override
            public void complete(boolean close) {
                finished(close);
            }

            /** A reply (or a frame's replies) came in full: record it, then send the next request. */
            void finished(boolean close) {
                long now = System.nanoTime();
                String text = collecting ? collected.toString(StandardCharsets.UTF_8) : null;
                if (handshaking) {
                    handshaking = false;
                    String cookie = HttpParser.handshakeCookies(head);
                    String session = HttpParser.jsonString(text, "page");
                    String token = HttpParser.jsonString(text, "token");
                    if (status != 200 || cookie == null || session == null || token == null) {
                        throw new IllegalStateException("handshake failed: " + status + " " + text);
                    }
                    if (kind.socket()) {
                        this.cookie = cookie;
                        hello = WsFrames.text("{\"type\":\"hello\",\"page\":\"" + session + "\",\"token\":\"" + token
                                + "\",\"ack\":0}");
                    } else {
                        request = RpcLoad.this.request(cookie, session, token);
                    }
                } else if (sentAt >= measureFrom && now <= measureTo) {
                    if (status != 200) {
                        errors++;
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = (now - sentAt) / 1000;
                } else if (text != null) {
                    checked++;
                    if (!goodReply(status, text)) {
                        if (bad++ == 0) {
                            System.err.println("bad reply (" + status + "): " + text);
                        }
                    }
                }
                if (now >= measureTo) {
                    return;
                }
                try {
                    if (close) {
                        reconnect(); // sends the request once connected
                    } else if (kind.socket() && upgraded) {
                        sendFrame();
                    } else if (kind.socket()) {
                        upgrade(); // the handshake's connection, kept alive, is upgraded
                    } else {
                        send(request);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }
}
