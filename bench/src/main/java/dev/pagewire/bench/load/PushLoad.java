package dev.pagewire.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push fan-out load: N simulated pages, one HTTP/1.1 connection each, all driven by one NIO
 * selector thread, speaking Pagewire's protocol (handshake, then a Comet poll, an SSE stream or a
 * WebSocket, one HTTP session per page as separate browsers would have) or the baseline's. A page
 * has a broadcast when its token appears in the page's reply stream; a Comet page polls again at
 * once with the highest {@code seq} it saw as {@code ack}, as the engine does. A Pagewire WebSocket
 * page says {@code hello} after the upgrade, acknowledges within the handshake's
 * {@code ackDelayMillis} of the first update it has not acknowledged (at once from
 * {@value #ACK_THRESHOLD} such updates) and sends a heartbeat every {@code heartbeatMillis}, as the
 * engine does; a baseline WebSocket page only listens.
 *
 * <p>Two timed modes (Pagewire only) hold nothing: a {@code POLLING} page sends
 * {@code POST poll {"ack":n,"hold":false}} the handshake's {@code pollMillis} after each reply
 * (as the engine does), its first poll at a random offset within one interval (pages loaded at
 * different times); a {@code PASSIVE} page sends one {@code Echo.echo} call after exponentially
 * distributed pauses (a Poisson stream of user actions) and gets updates in the call's reply.
 * Loopback only; every wait is bounded.
 */
public final class PushLoad implements AutoCloseable {
    public enum Mode {
        COMET, SSE, POLLING, PASSIVE, WEBSOCKET;

        /** Whether pages send requests on a timer rather than holding one open. */
        boolean timed() {
            return this == POLLING || this == PASSIVE;
        }
    }

    /** A socket page acknowledges at once at this many unacknowledged updates, as the engine does. */
    static final int ACK_THRESHOLD = 100;

    private static final String CALL = ",\"calls\":[{\"id\":1,\"proxy\":\"Echo\",\"method\":\"echo\",\"args\":[\"hello\"]}]}";

    private final InetSocketAddress address;
    private final boolean pagewire;
    private final Mode mode;
    private final Page[] pages;
    private final int ramp;
    private final Selector selector;
    private final ByteBuffer readBuf = ByteBuffer.allocate(64 * 1024);
    private final ArrayDeque<Page> toStart = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger setUp = new AtomicInteger();
    private final AtomicInteger ioErrors = new AtomicInteger();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicInteger badStatus = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger acksPending = new AtomicInteger(); // websocket pages with a delayed ack scheduled
    private final AtomicLong timedReplies = new AtomicLong();
    private final PriorityQueue<Due> timers = new PriorityQueue<>();
    private final Random random = new Random();
    private final long callMeanNanos;
    private long heartbeatNanos = 15_000_000_000L; // the server's default, until a handshake says
    private long ackDelayNanos = 1_000_000_000L;   // the server's default, until a handshake says
    private int inSetup;
    private volatile String token;         // the broadcast being watched for
    private volatile long[] receivedAt;    // per page, nanoTime it saw the token (0: not yet)
    private volatile boolean stopping;
    private Thread loop;
    private boolean getPolls;
    private String subscribeTo; // a topic pattern each Pagewire page subscribes to after its handshake

    public PushLoad(String host, int port, boolean pagewire, Mode mode, int n, int ramp) throws IOException {
        this(host, port, pagewire, mode, n, ramp, 0);
    }

    /** {@code callMillis}: the mean pause between a {@code PASSIVE} page's calls. */
    public PushLoad(String host, int port, boolean pagewire, Mode mode, int n, int ramp, long callMillis)
            throws IOException {
        if (mode.timed() && (!pagewire || (mode == Mode.PASSIVE && callMillis <= 0))) {
            throw new IllegalArgumentException(mode + " needs the pagewire target" + (mode == Mode.PASSIVE
                    ? " and a positive mean call interval" : ""));
        }
        this.callMeanNanos = callMillis * 1_000_000L;
        if (!host.startsWith("127.") && !host.equals("localhost")) {
            throw new IllegalArgumentException("loopback only");
        }
        this.address = new InetSocketAddress(host, port);
        this.pagewire = pagewire;
        this.mode = mode;
        this.ramp = ramp;
        this.selector = Selector.open();
        this.pages = new Page[n];
        for (int i = 0; i < n; i++) {
            pages[i] = new Page(i);
            toStart.add(pages[i]);
        }
    }

    /**
     * Baseline Comet pages hold {@code GET /base/longpoll?since=n} (no body; the server flushes the
     * headers as the poll parks) instead of {@code POST /base/poll}. Call before {@link #start}.
     */
    public PushLoad getPolls() {
        if (pagewire || mode != Mode.COMET) {
            throw new IllegalArgumentException("GET polls are the baseline's Comet variant");
        }
        getPolls = true;
        return this;
    }

    /**
     * Each page subscribes to {@code pattern} ({@code PagewireTopics.subscribe}, an ordinary call)
     * after its handshake and before it holds. Call before {@link #start}.
     */
    public PushLoad subscribe(String pattern) {
        if (!pagewire || mode.timed()) {
            throw new IllegalArgumentException("topic subscriptions are for Pagewire pages that hold");
        }
        subscribeTo = pattern;
        return this;
    }

    /** Starts the I/O thread; pages connect, at most {@code ramp} in setup at once. */
    public void start() {
        loop = new Thread(this::loop, "pushload-selector");
        loop.start();
    }

    /**
     * Pages whose held request has been sent (Comet), whose stream has opened (SSE), or whose
     * handshake is done and first request scheduled (polling, passive).
     */
    public int setUp() {
        return setUp.get();
    }

    public int ioErrors() {
        return ioErrors.get();
    }

    public int reconnects() {
        return reconnects.get();
    }

    public int badStatus() {
        return badStatus.get();
    }

    /** Polls (polling) or call replies (passive) completed so far. */
    public long timedReplies() {
        return timedReplies.get();
    }

    /** Watches for {@code token} from now on. */
    public void watch(String token) {
        this.receivedAt = new long[pages.length];
        this.received.set(0);
        this.token = token;
    }

    /** Socket pages whose delayed acknowledgement has not been sent yet. */
    public int acksPending() {
        return acksPending.get();
    }

    public int received() {
        return received.get();
    }

    /** Latencies in ms (sorted) of the pages that saw the token, from {@code since}. */
    public double[] latenciesMillis(long since) {
        long[] at = receivedAt;
        double[] out = new double[at.length];
        int k = 0;
        for (long t : at) {
            if (t != 0) {
                out[k++] = (t - since) / 1e6;
            }
        }
        out = Arrays.copyOf(out, k);
        Arrays.sort(out);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        if (loop != null) {
            loop.join(30_000);
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                while (inSetup < ramp && !toStart.isEmpty()) {
                    Page p = toStart.poll();
                    inSetup++;
                    try {
                        p.connect();
                    } catch (IOException e) {
                        ioErrors.incrementAndGet();
                        inSetup--;
                    }
                }
                selector.select(selectMillis());
                for (Runnable r; (r = tasks.poll()) != null; ) {
                    r.run();
                }
                for (long now = System.nanoTime(); !timers.isEmpty() && timers.peek().at <= now; ) {
                    Due d = timers.poll();
                    if (d.ack) {
                        d.page.ackDue();
                    } else {
                        d.page.due();
                    }
                }
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Page p = (Page) k.attachment();
                    try {
                        p.ready(k);
                    } catch (IOException | RuntimeException e) {
                        ioErrors.incrementAndGet();
                        p.reconnect();
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (Page p : pages) {
                p.closeQuietly();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Up to 50 ms, less when a timed page is due sooner (select's granularity is 1 ms). */
    private long selectMillis() {
        Due next = timers.peek();
        if (next == null) {
            return 50;
        }
        return Math.max(1, Math.min(50, (next.at - System.nanoTime() + 999_999) / 1_000_000));
    }

    /** A page's timer: its poll, call or heartbeat, or ({@code ack}) its delayed acknowledgement. */
    private record Due(long at, Page page, boolean ack) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return Long.compare(at, o.at);
        }
    }

    private final class Page implements HttpParser.Handler {
        final int index;
        final HttpParser parser = new HttpParser(this);
        final WsFrames frames = new WsFrames(new SocketFrames());
        boolean upgraded;      // websocket: the 101 came, bytes are frames now
        final StringBuilder text = new StringBuilder();
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        String cookie;
        String session;
        String secret;
        long ack;
        long acked;            // websocket: the last ack sent
        boolean ackPending;    // websocket: a delayed ack is scheduled
        boolean handshaking;
        boolean subscribing;
        boolean subscribed;
        boolean counted;
        boolean inSetupNow = true;
        int status;
        String head;
        long pollNanos;        // polling: the handshake's pollMillis
        boolean connected;
        boolean inFlight;      // timed: a poll or call is on its way
        boolean sendOnConnect; // timed: due (or cut mid-request) while reconnecting

        Page(int index) {
            this.index = index;
        }

        void connect() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            parser.reset();
            frames.reset();
            upgraded = false;
            text.setLength(0);
        }

        void reconnect() {
            reconnects.incrementAndGet();
            connected = false;
            if (inFlight) {
                // a timed page's next request is scheduled by its reply, which will not come now
                inFlight = false;
                sendOnConnect = true;
            }
            closeQuietly();
            if (!stopping) {
                try {
                    connect();
                } catch (IOException e) {
                    ioErrors.incrementAndGet();
                }
            }
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
                connected = true;
                if (pagewire && session == null) {
                    handshaking = true;
                    send(post("/pagewire/handshake", null, "{\"path\":\"/bench/\"}"));
                } else if (!mode.timed()) {
                    hold();
                } else if (sendOnConnect) {
                    sendOnConnect = false;
                    sendTimed();
                } else {
                    key.interestOps(SelectionKey.OP_READ); // idle until its timer fires
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

        /** Sends the held request: a Comet poll, an SSE stream request or a WebSocket upgrade. */
        void hold() throws IOException {
            text.setLength(0);
            if (mode == Mode.WEBSOCKET) {
                send(WsFrames.upgrade(pagewire ? "/pagewire/socket" : "/base/socket", host(), cookie));
            } else if (mode == Mode.COMET) {
                send(pagewire ? post("/pagewire/poll", cookie, "{\"ack\":" + ack + ",\"hold\":true}")
                        : getPolls ? ("GET /base/longpoll?since=" + ack + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1)
                        : post("/base/poll", null, "{\"ack\":" + ack + "}"));
                setUpDone();
            } else {
                String path = pagewire ? "/pagewire/stream?page=" + session + "&token=" + secret + "&ack=" + ack
                        : "/base/stream?ack=" + ack;
                send(("GET " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nAccept: text/event-stream\r\n"
                        + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        /** A timed page's timer fired: poll or call now, or as soon as the connection is back. */
        void due() {
            if (mode == Mode.WEBSOCKET) {
                heartbeat();
                return;
            }
            if (stopping || inFlight) {
                return;
            }
            if (!connected) {
                sendOnConnect = true;
                return;
            }
            try {
                sendTimed();
            } catch (IOException | RuntimeException e) {
                ioErrors.incrementAndGet();
                reconnect();
            }
        }

        void sendTimed() throws IOException {
            text.setLength(0);
            inFlight = true;
            send(mode == Mode.POLLING ? post("/pagewire/poll", cookie, "{\"ack\":" + ack + ",\"hold\":false}")
                    : post("/pagewire/call", cookie, "{\"ack\":" + ack + CALL));
        }

        /** A socket page's delayed acknowledgement is due. */
        void ackDue() {
            ackPending = false;
            acksPending.decrementAndGet();
            if (!stopping && upgraded && ack > acked) {
                sendAck();
            }
        }

        void sendAck() {
            try {
                send(WsFrames.text("{\"type\":\"ack\",\"ack\":" + ack + "}"));
                acked = ack;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** A WebSocket page's heartbeat, every {@code heartbeatMillis} while its socket is open. */
        void heartbeat() {
            if (stopping || !upgraded) {
                return; // a reconnect schedules the next one after its hello
            }
            try {
                send(WsFrames.text("{\"type\":\"hb\"}"));
                schedule(heartbeatNanos);
            } catch (IOException | RuntimeException e) {
                ioErrors.incrementAndGet();
                reconnect();
            }
        }

        /** What the page's socket brings: greeting, updates (acknowledged at once), refusals, close. */
        final class SocketFrames implements WsFrames.Handler {
            @Override
            public void text(String message) {
                String t = token;
                if (t != null && message.contains(t)) {
                    long[] at = receivedAt;
                    if (at[index] == 0) {
                        at[index] = System.nanoTime();
                        received.incrementAndGet();
                    }
                }
                if (message.startsWith("{\"type\":\"open\"")) {
                    setUpDone();
                } else if (message.startsWith("{\"type\":\"refused\"") && badStatus.incrementAndGet() <= 3) {
                    System.out.println("    page " + index + " refused: " + message);
                }
                long seq = lastNumberAfter(message, "\"seq\":");
                if (seq > ack) {
                    ack = seq;
                    if (pagewire && ack - acked >= ACK_THRESHOLD) {
                        sendAck();
                    } else if (pagewire && !ackPending) {
                        ackPending = true;
                        acksPending.incrementAndGet();
                        timers.add(new Due(System.nanoTime() + ackDelayNanos, Page.this, true));
                    }
                }
            }

            @Override
            public void ping(byte[] pong) {
                try {
                    send(pong);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void closed(int code) {
                throw new IllegalStateException("socket closed by the server: " + code);
            }
        }

        /** Schedules this page's next poll or call, {@code delay} ns from now. */
        void schedule(long delay) {
            timers.add(new Due(System.nanoTime() + delay, this, false));
        }

        /** The pause before the next request: a poll interval, or an exponential pause (Poisson calls). */
        long pause() {
            return mode == Mode.POLLING ? pollNanos : (long) (-Math.log(1 - random.nextDouble()) * callMeanNanos);
        }

        void setUpDone() {
            if (inSetupNow) {
                inSetupNow = false;
                inSetup--;
            }
            if (!counted) {
                counted = true;
                setUp.incrementAndGet();
            }
        }

        byte[] post(String path, String cookie, String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String h = "POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nContent-Type: application/json\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\nPagewire-Page: " + session
                    + "\r\nPagewire-Token: " + secret + "\r\n")
                    + "Content-Length: " + b.length + "\r\n\r\n";
            byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
            byte[] r = Arrays.copyOf(hb, hb.length + b.length);
            System.arraycopy(b, 0, r, hb.length, b.length);
            return r;
        }

        void send(byte[] bytes) throws IOException {
            if (out != null && out.hasRemaining() && upgraded) {
                // a socket's frames may follow one another before the last went out: queue behind it
                ByteBuffer both = ByteBuffer.allocate(out.remaining() + bytes.length);
                both.put(out).put(bytes).flip();
                out = both;
            } else {
                out = ByteBuffer.wrap(bytes);
            }
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
                    if (pagewire) {
                        send(WsFrames.text("{\"type\":\"hello\",\"page\":\"" + session + "\",\"token\":\"" + secret
                                + "\",\"ack\":" + ack + "}"));
                        acked = ack;
                        schedule(heartbeatNanos);
                    } else {
                        setUpDone(); // the baseline sends no greeting: open means listening
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return;
            }
            if (status != 200 && badStatus.incrementAndGet() <= 3) {
                System.out.println("    page " + index + " got status " + status + ": " + head.replace("\r\n", " | "));
            }
            if (mode == Mode.SSE && !handshaking) {
                setUpDone();
            }
        }

        @Override
        public void body(byte[] buf, int off, int len) {
            if (upgraded) {
                frames.feed(buf, off, len);
                return;
            }
            for (int i = off; i < off + len; i++) {
                text.append((char) (buf[i] & 0xff)); // the benchmark's replies are ASCII
            }
            String t = token;
            if (t != null && !handshaking && text.indexOf(t) >= 0) {
                long[] at = receivedAt;
                if (at[index] == 0) {
                    at[index] = System.nanoTime();
                    received.incrementAndGet();
                }
            }
            if (mode == Mode.SSE && !handshaking) {
                ack = Math.max(ack, lastNumberAfter(text, "id: "));
                if (text.length() > 4096) {
                    text.delete(0, text.length() - 256);
                }
            }
        }

        @Override
        public void complete(boolean close) {
            try {
                if (subscribing) {
                    subscribing = false;
                    if (status != 200 || text.toString().contains("\"error\"")) {
                        throw new IllegalStateException("subscribe failed: " + status + " " + text);
                    }
                    text.setLength(0);
                    if (close) {
                        reconnect();
                    } else {
                        hold();
                    }
                    return;
                }
                if (handshaking) {
                    handshaking = false;
                    String json = text.toString();
                    cookie = HttpParser.handshakeCookies(head);
                    session = HttpParser.jsonString(json, "page");
                    secret = HttpParser.jsonString(json, "token");
                    if (status != 200 || cookie == null || session == null || secret == null) {
                        throw new IllegalStateException("handshake failed: " + status + " " + json);
                    }
                    if (mode == Mode.WEBSOCKET) {
                        long hb = lastNumberAfter(json, "\"heartbeatMillis\":");
                        if (hb > 0) {
                            heartbeatNanos = hb * 1_000_000L;
                        }
                        long delay = lastNumberAfter(json, "\"ackDelayMillis\":");
                        if (delay > 0) {
                            ackDelayNanos = delay * 1_000_000L;
                        }
                    }
                    if (mode.timed()) {
                        pollNanos = lastNumberAfter(json, "\"pollMillis\":") * 1_000_000L;
                        if (mode == Mode.POLLING && pollNanos <= 0) {
                            throw new IllegalStateException("no pollMillis in the handshake: " + json);
                        }
                        setUpDone();
                        // the first request at a random point of one pause: pages loaded at different times
                        schedule(mode == Mode.POLLING ? (long) (random.nextDouble() * pollNanos) : pause());
                    }
                } else if (mode != Mode.SSE) {
                    ack = Math.max(ack, lastNumberAfter(text, "\"seq\":"));
                    if (mode.timed()) {
                        inFlight = false;
                        timedReplies.incrementAndGet();
                        // the engine waits pollMillis after each reply, not between request starts
                        schedule(pause());
                    }
                }
                if (stopping) {
                    return;
                }
                if (subscribeTo != null && !subscribed && !close) {
                    subscribed = true;
                    subscribing = true;
                    text.setLength(0);
                    send(post("/pagewire/call", cookie, "{\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"PagewireTopics\","
                            + "\"method\":\"subscribe\",\"args\":[\"" + subscribeTo + "\"]}]}"));
                    return;
                }
                if (mode.timed()) {
                    if (close) {
                        reconnect();
                    }
                    return;
                }
                if (close) {
                    reconnect();
                } else {
                    hold(); // poll again at once, or reopen an ended stream
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private String host() {
            return address.getHostString() + ":" + address.getPort();
        }
    }

    private static long lastNumberAfter(CharSequence s, String key) {
        long best = 0;
        String str = s.toString();
        for (int i = str.indexOf(key); i >= 0; i = str.indexOf(key, i + 1)) {
            int j = i + key.length();
            long v = 0;
            while (j < str.length() && Character.isDigit(str.charAt(j))) {
                v = v * 10 + (str.charAt(j++) - '0');
            }
            best = Math.max(best, v);
        }
        return best;
    }

    /** Nearest-rank percentile of a sorted array. */
    public static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
