package dev.pagewire;

import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.files.Downloads;
import dev.pagewire.files.MultipartReader;
import dev.pagewire.files.UploadLimits;
import dev.pagewire.metrics.Meters;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.PageLimits;
import dev.pagewire.push.PageRegistry;
import dev.pagewire.push.PushService;
import dev.pagewire.remoting.BatchReader;
import dev.pagewire.remoting.CallDispatcher;
import dev.pagewire.remoting.ExposedObject;
import dev.pagewire.remoting.ProxyRegistry;
import dev.pagewire.remoting.ReplyWriter;
import dev.pagewire.script.ScriptLibrary;
import dev.pagewire.security.ClientAddresses;
import dev.pagewire.security.HandshakeRate;
import dev.pagewire.security.HostPolicy;
import dev.pagewire.security.OriginPolicy;
import dev.pagewire.spi.PushBackend;
import dev.pagewire.topic.TopicCalls;
import dev.pagewire.topic.TopicHub;
import dev.pagewire.transport.DeliveryRules;
import dev.pagewire.transport.TransportSettings;
import dev.pagewire.transport.Transports;
import dev.pagewire.web.PublicPath;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A configured Pagewire: the exposed objects, the conversion rules and the limits. Build one with
 * {@link #builder()}, then serve it with {@link PagewireServlet} (any Servlet 6 container) or
 * {@code dev.pagewire.embed.PagewireServer} (embedded Tomcat).
 *
 * <pre>{@code
 * Pagewire pagewire = Pagewire.builder()
 *         .expose(ChatService.class)          // @RemoteProxy / @RemoteMethod
 *         .expose("Calc", new Calc())         // a plain object: its public methods
 *         .build();
 * }</pre>
 *
 * A {@code Pagewire} is thread-safe; its configuration is validated by {@link Builder#build()},
 * which fails naming the class, method and type of the first problem, and frozen. It owns daemon
 * delivery threads and a timer thread: {@link #close()} stops them (the servlet serving it does so
 * when the container destroys it).
 */
public final class Pagewire implements AutoCloseable {
    final long maxBodyBytes;
    final int maxJsonDepth;
    final int maxCallsPerBatch;
    final boolean debug;
    final ProxyRegistry registry;
    final JsonCodec codec;
    final CallDispatcher dispatcher;
    final BatchReader batchReader;
    final ReplyWriter replyWriter;
    final long batchTimeBudgetMillis;
    final ScriptLibrary scripts;
    final OriginPolicy origins;
    final HostPolicy hosts;
    final ClientAddresses clients;
    final PublicPath publicPath;
    final HandshakeRate handshakeRate;
    final PageRegistry pageRegistry;
    final Transports transports;
    final boolean shareConnections;
    final Meters meters = new Meters();
    final UploadLimits uploadLimits;
    final MultipartReader multipart;
    final Downloads downloads;
    /** Stamped as {@code "time"} on the replies pages take the server's time from (docs/TOPICS.md#server-time). */
    final Clock clock;
    private final PushService pages;
    private final PushBackend backend;
    private final PagewireMetrics metrics;
    private final MetricsMBeans mbeans; // null: JMX off
    private final TopicHub topics;

    private Pagewire(Builder b) {
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxJsonDepth = b.maxJsonDepth;
        this.maxCallsPerBatch = b.maxCallsPerBatch;
        this.debug = b.debug;
        this.clock = b.clock;
        this.shareConnections = b.shareConnections;
        TypeAllowList allowList = new TypeAllowList(b.dataTransferObjects);
        this.codec = new JsonCodec(allowList);
        DeliveryRules rules = new DeliveryRules(b.deliveryMode, b.pollInterval, b.allowedModes, b.rules);
        this.pageRegistry = new PageRegistry(new PageLimits(b.maxPagesPerHttpSession,
                b.maxPages, b.pageIdleTimeout, shorter(b.firstContactTimeout, b.pageIdleTimeout),
                b.maxQueuedUpdates, b.maxQueuedChars), rules, b.backend == null ? null : b.backend.pages(), meters);
        this.backend = b.backend;
        this.pages = new PushService(pageRegistry, codec, allowList, b.maxQueuedChars, b.allowScriptUpdates,
                ScriptBuffer::render, backend);
        this.topics = new TopicHub(b.topicRules, pages, codec, allowList, clock);
        this.registry = new ProxyRegistry(withTopicCalls(b.exposed, b.topicRules.isEmpty()), allowList, b.instanceFactory);
        this.uploadLimits = new UploadLimits(b.maxUploadBytes, b.maxUploadBytesPerCall, b.maxUploadFiles, b.maxBodyBytes);
        this.multipart = new MultipartReader(uploadLimits, null);
        this.downloads = new Downloads(b.downloadExpiry);
        this.dispatcher = new CallDispatcher(registry, codec, b.clientVisible, pages, b.filters, b.batchTimeBudget,
                meters, this::offer);
        this.batchReader = new BatchReader(maxJsonDepth, maxCallsPerBatch);
        this.replyWriter = new ReplyWriter(codec);
        this.batchTimeBudgetMillis = b.batchTimeBudget.toMillis();
        checkPageInterfaces(b.pageInterfaces);
        this.scripts = new ScriptLibrary(registry, b.pageInterfaces, b.topicRules, b.debug);
        this.origins = new OriginPolicy(b.allowedOrigins);
        this.hosts = new HostPolicy(b.allowedHosts);
        this.clients = new ClientAddresses(b.trustedProxies);
        this.publicPath = new PublicPath(b.publicPath, clients::fromTrustedProxy);
        this.handshakeRate = new HandshakeRate(b.handshakesPerMinute, b.maxRateLimitedClients, b.rateLimitLoopback);
        this.transports = new Transports(new TransportSettings(b.cometHold, b.cometWriteWindow,
                b.sseHeartbeat, b.sseAckDelay, b.maxHeldRequestsPerHttpSession, b.sseStreamLifetime,
                b.websocketSendTimeout, b.maxQueuedChars, clock),
                this::housekeeping, sweepInterval(b), meters.bytesWritten);
        this.metrics = new PagewireMetrics(b.name != null ? b.name : MetricsMBeans.freeName(MetricsMBeans.DEFAULT_NAME),
                meters, pageRegistry, transports, dispatcher.timers());
        try {
            this.mbeans = b.jmx ? MetricsMBeans.register(metrics) : null;
        } catch (IllegalStateException e) {
            transports.close();
            throw e;
        }
        if (backend != null) {
            backend.start(pages, new PushBackend.Limits(b.maxQueuedUpdates, b.pageIdleTimeout.toMillis()));
        }
    }

    /** Offers a download a remote method returned to the owner of the page that called, under this mount. */
    private Downloads.Offered offer(FileDownload file, HttpServletRequest request, Page page) {
        return downloads.offer(file, ((LivePage) page).httpKey(), publicPath.of(request));
    }

    /** The application's exposed objects, and the topics' own when it declared topic rules. */
    private List<ExposedObject> withTopicCalls(List<ExposedObject> exposed, boolean noRules) {
        if (noRules) {
            return exposed;
        }
        List<ExposedObject> all = new ArrayList<>(exposed);
        all.add(new ExposedObject(TopicCalls.PROXY, TopicCalls.class, new TopicCalls(topics), null));
        return all;
    }

    /** The housekeeper's round: expiry and heartbeats of pages, forgetting rate-limited clients. */
    private void housekeeping() {
        pageRegistry.sweep();
        handshakeRate.sweep();
        downloads.sweep();
    }

    /** Often enough for the heartbeat and for each timeout to be kept within a fraction of it. */
    private static Duration sweepInterval(Builder b) {
        return shorter(b.sseHeartbeat, shorter(b.pageIdleTimeout.dividedBy(4), b.firstContactTimeout.dividedBy(2)));
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void checkPageInterfaces(Set<Class<?>> types) {
        for (Class<?> type : types) {
            try {
                pages.all().proxy(type);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("pageInterface " + type.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every loaded page, and pushing to them. Thread-safe; also injectable into remote methods. */
    public Pages pages() {
        return pages;
    }

    /**
     * The topics: publish on them from any thread; pages subscribe and publish where a
     * {@link Builder#topic} rule allows them (docs/TOPICS.md).
     */
    public Topics topics() {
        return topics;
    }

    /**
     * Pages live now, for health checks and dashboards; a counter, cheap to read. With a backend
     * that keeps pages (several nodes), the pages this node holds copies of: those it served lately.
     */
    public int livePages() {
        return pageRegistry.size();
    }

    /**
     * Comet polls and SSE streams open now, each holding a connection (and a file descriptor) but
     * no thread; a counter, cheap to read. WebSockets are not held requests: {@code
     * metrics().openSockets()} counts them.
     */
    public int heldRequests() {
        return transports.heldRequests();
    }

    /**
     * Begins a graceful stop: ends every held request now (a Comet poll is answered with what is
     * queued; a stream or socket closes) and from then on answers a page asking to hold one with
     * {@code 503 SHUTTING_DOWN} and {@code Retry-After: 1}, so its engine reconnects after a
     * moment, to another node behind a load balancer or to this server once it is back, with
     * nothing lost. Calls and polls are still answered. {@code PagewireServer.stop(Duration)} does
     * this first; in another container, call it as shutdown begins, then let the container stop.
     * It cannot be undone.
     */
    public void drain() {
        transports.drain(List.copyOf(pageRegistry.all()));
    }

    /**
     * What this Pagewire has done and holds now: calls, refusals, pages, queues, pushes, bytes
     * (also MBeans under {@code dev.pagewire:type=...,name=}{@link PagewireMetrics#name()} unless
     * {@link Builder#jmx} is off). Thread-safe.
     */
    public PagewireMetrics metrics() {
        return metrics;
    }

    /**
     * Ends every page, stops the delivery and timer threads (waiting up to 5 s for them to end,
     * so a stopping web application leaves none running), unregisters the MBeans and closes the
     * backend. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (mbeans != null) {
            mbeans.unregister();
        }
        pageRegistry.endEverything();
        transports.close();
        if (backend != null) {
            backend.close();
        }
    }

    /** Starts a configuration with the documented defaults (see {@code docs/CONFIGURATION.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The names of the exposed proxies, sorted. */
    public List<String> proxyNames() {
        return registry.all().stream().map(p -> p.name()).toList();
    }

    /**
     * Collects a configuration; {@link #build()} validates it and returns the immutable result.
     * Every setting has a safe default (the {@code DEFAULT_*} constants), so a quick start needs
     * only {@code expose}. The setters come in the groups of {@code docs/CONFIGURATION.md}:
     * <ul>
     * <li>exposing objects: {@code expose}, {@link #instanceFactory}, {@link #dataTransferObject},
     * {@link #pageInterface}, {@link #filter};</li>
     * <li>limits and switches: {@link #maxBodyBytes}, {@link #maxJsonDepth}, {@link
     * #maxCallsPerBatch}, {@link #batchTimeBudget}, {@link #allowOrigins}, {@link #allowHosts},
     * {@link #trustedProxies}, {@link #debug}, {@link #name}, {@link #jmx};</li>
     * <li>pushing and delivery: {@link #deliveryMode}, {@link #allowDeliveryModes}, {@code
     * deliveryRule}, {@link #pollInterval}, {@link #cometHold}, {@link #cometWriteWindow}, {@link
     * #sseHeartbeat}, {@link #sseAckDelay}, {@link #sseStreamLifetime}, {@link
     * #allowScriptUpdates};</li>
     * <li>pages and queues: {@link #pageIdleTimeout}, {@link #firstContactTimeout}, {@link
     * #maxPagesPerHttpSession}, {@link #maxPages}, {@link #handshakesPerMinute}, {@link
     * #rateLimitLoopback}, {@link #maxRateLimitedClients}, {@link #maxQueuedUpdates}, {@link
     * #maxQueuedChars}, {@link #maxHeldRequestsPerHttpSession}.</li>
     * </ul>
     * The settings stay flat methods rather than value objects per group: each is one call that an
     * IDE completes, and a group object would add a type and a nested builder to every snippet
     * without removing any concept.
     */
    public static final class Builder {
        /** Default of {@link #maxBodyBytes(long)}, in bytes: 1 MiB. */
        public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
        /** Default of {@link #maxJsonDepth(int)}. */
        public static final int DEFAULT_MAX_JSON_DEPTH = 64;
        /** Default of {@link #maxCallsPerBatch(int)}. */
        public static final int DEFAULT_MAX_CALLS_PER_BATCH = 100;
        /** Default of {@link #batchTimeBudget(Duration)}, in seconds. */
        public static final int DEFAULT_BATCH_TIME_BUDGET_SECONDS = 30;
        /** Default of {@link #debug(boolean)}. */
        public static final boolean DEFAULT_DEBUG = false;
        /** Default of {@link #jmx(boolean)}. */
        public static final boolean DEFAULT_JMX = true;
        /** Default of {@link #deliveryMode(DeliveryMode)}. */
        public static final DeliveryMode DEFAULT_DELIVERY_MODE = DeliveryMode.AUTO;
        /** Default of {@link #pollInterval(Duration)}, in seconds. */
        public static final int DEFAULT_POLL_INTERVAL_SECONDS = 5;
        /** Default of {@link #cometHold(Duration)}, in seconds: below the 30 s of many proxies. */
        public static final int DEFAULT_COMET_HOLD_SECONDS = 25;
        /** Default of {@link #cometWriteWindow(Duration)}, in seconds: none. */
        public static final int DEFAULT_COMET_WRITE_WINDOW_SECONDS = 0;
        /** Default of {@link #sseHeartbeat(Duration)}, in seconds. */
        public static final int DEFAULT_SSE_HEARTBEAT_SECONDS = 15;
        /** Default of {@link #sseAckDelay(Duration)}, in seconds. */
        public static final int DEFAULT_SSE_ACK_DELAY_SECONDS = 1;
        /** Default of {@link #sseStreamLifetime(Duration)}, in seconds: 10 min. */
        public static final int DEFAULT_SSE_STREAM_LIFETIME_SECONDS = 600;
        /** Default of {@link #websocketSendTimeout(Duration)}, in seconds. */
        public static final int DEFAULT_WEBSOCKET_SEND_TIMEOUT_SECONDS = 10;
        /** Default of {@link #shareConnections(boolean)}. */
        public static final boolean DEFAULT_SHARE_CONNECTIONS = true;
        /** Default of {@link #allowScriptUpdates(boolean)}. */
        public static final boolean DEFAULT_ALLOW_SCRIPT_UPDATES = false;
        /** Default of {@link #pageIdleTimeout(Duration)}, in seconds: 5 min. */
        public static final int DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS = 300;
        /** Default of {@link #firstContactTimeout(Duration)}, in seconds. */
        public static final int DEFAULT_FIRST_CONTACT_TIMEOUT_SECONDS = 30;
        /** Default of {@link #handshakesPerMinute(int)}. */
        public static final int DEFAULT_HANDSHAKES_PER_MINUTE = 30;
        /** Default of {@link #rateLimitLoopback(boolean)}. */
        public static final boolean DEFAULT_RATE_LIMIT_LOOPBACK = false;
        /** Default of {@link #maxRateLimitedClients(int)}. */
        public static final int DEFAULT_MAX_RATE_LIMITED_CLIENTS = 10_000;
        /** Default of {@link #maxPagesPerHttpSession(int)}. */
        public static final int DEFAULT_MAX_PAGES_PER_HTTP_SESSION = 32;
        /** Default of {@link #maxPages(int)}. */
        public static final int DEFAULT_MAX_PAGES = 20_000;
        /** Default of {@link #maxQueuedUpdates(int)}. */
        public static final int DEFAULT_MAX_QUEUED_UPDATES = 1000;
        /** Default of {@link #maxQueuedChars(long)}, in characters of JSON: 1 MiB. */
        public static final int DEFAULT_MAX_QUEUED_CHARS = 1 << 20;
        /** Default of {@link #maxHeldRequestsPerHttpSession(int)}. */
        public static final int DEFAULT_MAX_HELD_REQUESTS_PER_HTTP_SESSION = 2;
        /** Default of {@link #maxUploadBytes(long)}: 100 MiB. */
        public static final int DEFAULT_MAX_UPLOAD_BYTES = 100 << 20;
        /** Default of {@link #maxUploadBytesPerCall(long)}: 200 MiB. */
        public static final int DEFAULT_MAX_UPLOAD_BYTES_PER_CALL = 200 << 20;
        /** Default of {@link #maxUploadFiles(int)}. */
        public static final int DEFAULT_MAX_UPLOAD_FILES = 10;
        /** Default of {@link #downloadExpiry(Duration)}, in seconds. */
        public static final int DEFAULT_DOWNLOAD_EXPIRY_SECONDS = 300;

        private final List<ExposedObject> exposed = new ArrayList<>();
        private final Set<Class<?>> dataTransferObjects = new LinkedHashSet<>();
        private final Set<Class<? extends Throwable>> clientVisible = new LinkedHashSet<>();
        private final Set<Class<?>> pageInterfaces = new LinkedHashSet<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private final Set<String> trustedProxies = new LinkedHashSet<>();
        private String publicPath;
        private Duration firstContactTimeout = Duration.ofSeconds(DEFAULT_FIRST_CONTACT_TIMEOUT_SECONDS);
        private int handshakesPerMinute = DEFAULT_HANDSHAKES_PER_MINUTE;
        private int maxRateLimitedClients = DEFAULT_MAX_RATE_LIMITED_CLIENTS;
        private boolean rateLimitLoopback = DEFAULT_RATE_LIMIT_LOOPBACK;
        private Function<Class<?>, Object> instanceFactory = Builder::construct;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
        private int maxCallsPerBatch = DEFAULT_MAX_CALLS_PER_BATCH;
        private Duration batchTimeBudget = Duration.ofSeconds(DEFAULT_BATCH_TIME_BUDGET_SECONDS);
        private boolean debug = DEFAULT_DEBUG;
        private boolean jmx = DEFAULT_JMX;
        private String name;
        private DeliveryMode deliveryMode = DEFAULT_DELIVERY_MODE;
        private final Set<DeliveryMode> allowedModes = EnumSet.allOf(DeliveryMode.class);
        private final List<DeliveryRules.Rule> rules = new ArrayList<>();
        private Duration pollInterval = Duration.ofSeconds(DEFAULT_POLL_INTERVAL_SECONDS);
        private Duration cometHold = Duration.ofSeconds(DEFAULT_COMET_HOLD_SECONDS);
        private Duration cometWriteWindow = Duration.ofSeconds(DEFAULT_COMET_WRITE_WINDOW_SECONDS);
        private Duration sseHeartbeat = Duration.ofSeconds(DEFAULT_SSE_HEARTBEAT_SECONDS);
        private Duration sseAckDelay = Duration.ofSeconds(DEFAULT_SSE_ACK_DELAY_SECONDS);
        private Duration sseStreamLifetime = Duration.ofSeconds(DEFAULT_SSE_STREAM_LIFETIME_SECONDS);
        private Duration websocketSendTimeout = Duration.ofSeconds(DEFAULT_WEBSOCKET_SEND_TIMEOUT_SECONDS);
        private boolean shareConnections = DEFAULT_SHARE_CONNECTIONS;
        private Duration pageIdleTimeout = Duration.ofSeconds(DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS);
        private int maxPagesPerHttpSession = DEFAULT_MAX_PAGES_PER_HTTP_SESSION;
        private int maxPages = DEFAULT_MAX_PAGES;
        private int maxQueuedUpdates = DEFAULT_MAX_QUEUED_UPDATES;
        private long maxQueuedChars = DEFAULT_MAX_QUEUED_CHARS;
        private int maxHeldRequestsPerHttpSession = DEFAULT_MAX_HELD_REQUESTS_PER_HTTP_SESSION;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private long maxUploadBytesPerCall = DEFAULT_MAX_UPLOAD_BYTES_PER_CALL;
        private int maxUploadFiles = DEFAULT_MAX_UPLOAD_FILES;
        private Duration downloadExpiry = Duration.ofSeconds(DEFAULT_DOWNLOAD_EXPIRY_SECONDS);
        private boolean allowScriptUpdates = DEFAULT_ALLOW_SCRIPT_UPDATES;
        private final List<CallFilter> filters = new ArrayList<>();
        private final List<TopicRule> topicRules = new ArrayList<>();
        private PushBackend backend;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Exposes a class. Its name and scope come from {@link RemoteProxy} (defaults: the simple
         * class name, {@link Scope#APPLICATION}); instances come from the {@link
         * #instanceFactory(Function) instance factory}. Callable methods are those annotated
         * {@link RemoteMethod}; on a class with neither annotation, its declared public methods.
         */
        public Builder expose(Class<?> type) {
            exposed.add(new ExposedObject(null, Objects.requireNonNull(type, "type"), null, null));
            return this;
        }

        /** Exposes a class under {@code name} with {@code scope}, overriding its annotation. */
        public Builder expose(String name, Class<?> type, Scope scope) {
            exposed.add(new ExposedObject(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(type, "type"), null, Objects.requireNonNull(scope, "scope")));
            return this;
        }

        /** Exposes one shared instance (application scope), named as {@link #expose(Class)} would. */
        public Builder expose(Object instance) {
            exposed.add(new ExposedObject(null, instance.getClass(), instance, null));
            return this;
        }

        /** Exposes one shared instance (application scope) under {@code name}. */
        public Builder expose(String name, Object instance) {
            exposed.add(new ExposedObject(Objects.requireNonNull(name, "name"), instance.getClass(),
                    instance, null));
            return this;
        }

        /**
         * Supplies instances of exposed classes, for example from Spring or CDI:
         * {@code .instanceFactory(context::getBean)}. The default calls the public no-argument
         * constructor. Application-scoped instances are made once, at {@link #build()}.
         */
        public Builder instanceFactory(Function<Class<?>, Object> factory) {
            this.instanceFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Allows classes to travel as JSON without the {@link DataTransferObject} annotation. */
        public Builder dataTransferObject(Class<?>... types) {
            dataTransferObjects.addAll(List.of(types));
            return this;
        }

        /**
         * Page interfaces ({@link PageInterface}) whose TypeScript declarations are served at
         * {@code {mount}/interface/{SimpleName}.d.ts} and {@code .d.mts}, to type the object the
         * page passes to {@code pagewire.expose}. {@link #build()} checks them as
         * {@link PageGroup#proxy(Class)} does; pushing through an interface needs no registration.
         *
         * @throws IllegalArgumentException when a type is not an interface
         */
        public Builder pageInterface(Class<?>... types) {
            for (Class<?> type : types) {
                if (!type.isInterface()) {
                    throw new IllegalArgumentException("pageInterface: " + type.getName() + " is not an interface");
                }
                pageInterfaces.add(type);
            }
            return this;
        }

        /** Lets the name and message of these exceptions (and subclasses) reach the page. */
        @SafeVarargs
        public final Builder clientVisible(Class<? extends Throwable>... types) {
            clientVisible.addAll(List.of(types));
            return this;
        }

        /**
         * Origins besides the server's own that may POST, such as {@code https://app.example.com}.
         * Needed behind a proxy that rewrites the {@code Host} header. Pages served by these
         * origins may also call across origins (CORS, with credentials: their cookies come along);
         * other origins get no CORS headers. Default: none.
         */
        public Builder allowOrigins(String... origins) {
            allowedOrigins.addAll(List.of(origins));
            return this;
        }

        /**
         * The path at which pages reach Pagewire when a reverse proxy maps it elsewhere, such as
         * {@code /shop/rpc} for a container's {@code /pagewire}: the generated scripts call it
         * and the {@code pagewire} cookie is scoped to it. Default: none; the request's context and
         * servlet path, behind a {@linkplain #trustedProxies trusted proxy} with its {@code
         * X-Forwarded-Prefix} in front.
         *
         * @throws IllegalArgumentException for a value that is not a plain path
         */
        public Builder publicPath(String path) {
            new PublicPath(path, r -> false); // checks it now, at the call that is wrong
            this.publicPath = path;
            return this;
        }

        /**
         * The {@code Host} header values this server answers to, as browsers send them: the name
         * alone on the scheme's default port, {@code name:port} otherwise, such as {@code
         * allowHosts("app.example.com", "app.example.com:8443")}. Every Pagewire request with
         * another {@code Host}, scripts included, is refused with 403 {@code FORBIDDEN_HOST}: a
         * page that reaches this server through DNS rebinding sends its own name. Default: none
         * listed, any {@code Host} is answered. Set it in production, and always for a server on
         * {@code localhost} or an intranet address.
         *
         * @throws IllegalArgumentException for a blank value or one with a scheme, path or spaces
         */
        public Builder allowHosts(String... hosts) {
            for (String host : hosts) {
                if (host == null || host.isBlank() || !host.matches("[^\\s/@]+")) {
                    throw new IllegalArgumentException("allowHosts takes host names such as app.example.com"
                            + " or app.example.com:8443, was " + host);
                }
                allowedHosts.add(host);
            }
            return this;
        }

        /**
         * Largest request body accepted, in bytes; larger ones are refused with 413. Default
         * {@value #DEFAULT_MAX_BODY_BYTES} bytes; init-param {@code maxBodyBytes}.
         */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = positive(bytes, "maxBodyBytes");
            return this;
        }

        /**
         * Deepest JSON nesting accepted (the batch's own structure takes 4 levels); deeper is 400.
         * Default {@value #DEFAULT_MAX_JSON_DEPTH} levels; init-param {@code maxJsonDepth}.
         *
         * @throws IllegalArgumentException if less than 5
         */
        public Builder maxJsonDepth(int depth) {
            if (depth < 5) {
                throw new IllegalArgumentException("maxJsonDepth must be at least 5, was " + depth);
            }
            this.maxJsonDepth = depth;
            return this;
        }

        /**
         * Most calls in one request; more are refused with 400. The engine splits larger batches.
         * Default {@value #DEFAULT_MAX_CALLS_PER_BATCH} calls; init-param {@code maxCallsPerBatch}.
         */
        public Builder maxCallsPerBatch(int calls) {
            this.maxCallsPerBatch = (int) positive(calls, "maxCallsPerBatch");
            return this;
        }

        /**
         * The time the calls of one batch may take in all, from the start of the first. A remote
         * method returning a {@code CompletionStage} holds no thread while it runs, and the reply
         * waits for every stage of the batch, at most this long. When it runs out, calls still
         * running and calls not yet started (the batch's calls start one after another) get the
         * per-call error {@code TIMEOUT}. A synchronous method is never interrupted: the budget
         * is checked between calls. It is the request's async timeout, which the container checks
         * about once a second, so a batch is cut up to a second after it.
         * Default {@value #DEFAULT_BATCH_TIME_BUDGET_SECONDS} s; init-param {@code batchTimeBudget}
         * (ISO-8601, such as {@code PT30S}).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder batchTimeBudget(Duration budget) {
            this.batchTimeBudget = positive(budget, "batchTimeBudget");
            return this;
        }

        /**
         * Serves the debug page at {@code {mount}/}, and makes the generated proxies say how to
         * expose a method the page calls but the server does not expose ("not exposed: mark it
         * {@code @RemoteMethod}") instead of "is not a function". Default {@value #DEFAULT_DEBUG};
         * keep it off in production. Init-param {@code debug}.
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * This Pagewire's name in its metrics and JMX names ({@code dev.pagewire:type=Pagewire,
         * name=...}). Default: {@code pagewire}, or {@code pagewire-2}, {@code -3}... when a
         * Pagewire of this JVM has that name already; a name given here that another Pagewire of
         * the JVM has fails {@link #build()}. Init-param {@code name}.
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Registers the figures of {@link Pagewire#metrics()} as MBeans on the platform
         * MBeanServer ({@code docs/OBSERVABILITY.md}), unregistered by {@link Pagewire#close()}.
         * Default {@value #DEFAULT_JMX}; init-param {@code jmx}.
         */
        public Builder jmx(boolean jmx) {
            this.jmx = jmx;
            return this;
        }

        /**
         * How pages receive updates unless a {@link #deliveryRule} matches them. Default {@link
         * #DEFAULT_DELIVERY_MODE} ({@link DeliveryMode#AUTO auto}: the best allowed mode the browser
         * and the network let through); init-param {@code deliveryMode}.
         */
        public Builder deliveryMode(DeliveryMode mode) {
            this.deliveryMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The modes pages may use, by rule or by switching in page JavaScript
         * ({@code pagewire.reverseAjax(mode)}). Default: all five. {@link DeliveryMode#AUTO} is no
         * mode of its own: it chooses among the allowed ones, and is always allowed.
         */
        public Builder allowDeliveryModes(DeliveryMode... modes) {
            if (modes.length == 0) {
                throw new IllegalArgumentException("allow at least one delivery mode");
            }
            allowedModes.clear();
            allowedModes.addAll(List.of(modes));
            return this;
        }

        /**
         * Pages whose path matches {@code pattern} use {@code mode}, and may switch only to the
         * modes listed in {@code alsoAllowed}, to passive, and (when any of these is active) to
         * polling, the fallback past {@link #maxHeldRequestsPerHttpSession(int)}. Other polls and
         * streams of such a page are refused with 403 {@code MODE_NOT_ALLOWED}; pages under no
         * rule may use every {@linkplain #allowDeliveryModes allowed mode}. Patterns are globs on
         * the page path: {@code *} within a segment, {@code **} across ({@code "/ticker/**"}).
         * The first matching rule wins. With {@link DeliveryMode#AUTO} as {@code mode}, the page's
         * engine chooses among {@code alsoAllowed} (and polling), or among every allowed mode when
         * {@code alsoAllowed} is empty.
         *
         * @throws IllegalStateException at {@link #build()}, if a mode named here is not allowed
         */
        public Builder deliveryRule(String pattern, DeliveryMode mode, DeliveryMode... alsoAllowed) {
            rules.add(new DeliveryRules.Rule(Objects.requireNonNull(pattern, "pattern"),
                    Objects.requireNonNull(mode, "mode"), null, Set.of(alsoAllowed)));
            return this;
        }

        /** As {@link #deliveryRule(String, DeliveryMode, DeliveryMode...)}, with its own poll interval. */
        public Builder deliveryRule(String pattern, DeliveryMode mode, Duration pollInterval, DeliveryMode... alsoAllowed) {
            rules.add(new DeliveryRules.Rule(Objects.requireNonNull(pattern, "pattern"), Objects.requireNonNull(mode, "mode"),
                    positive(pollInterval, "pollInterval"), Set.of(alsoAllowed)));
            return this;
        }

        /** Time between polls in polling mode. Default {@value #DEFAULT_POLL_INTERVAL_SECONDS} s. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "pollInterval");
            return this;
        }

        /**
         * How long a Comet poll is held with nothing to send. Default {@value
         * #DEFAULT_COMET_HOLD_SECONDS} s: below the 30 s after which many proxies cut idle
         * requests. It is the request's async timeout, which the container checks about once a
         * second, so a poll ends up to a second after it.
         */
        public Builder cometHold(Duration hold) {
            this.cometHold = positive(hold, "cometHold");
            return this;
        }

        /**
         * How long a held poll waits after the first update, to send a burst as one reply. Default
         * {@value #DEFAULT_COMET_WRITE_WINDOW_SECONDS} s: the reply goes as soon as a delivery
         * thread takes it, carrying whatever was queued by then (the lowest latency; a long burst
         * may take a second poll). A few milliseconds gather chatty bursts into fewer replies, at
         * that much latency.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder cometWriteWindow(Duration window) {
            if (window.isNegative()) {
                throw new IllegalArgumentException("cometWriteWindow must not be negative, was " + window);
            }
            this.cometWriteWindow = window;
            return this;
        }

        /**
         * How often an idle SSE stream gets a heartbeat, an {@code event: hb} with data {@code {}}
         * (an event rather than a comment, so the page sees it and can tell a dead connection).
         * Default {@value #DEFAULT_SSE_HEARTBEAT_SECONDS} s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder sseHeartbeat(Duration interval) {
            this.sseHeartbeat = positive(interval, "sseHeartbeat");
            return this;
        }

        /**
         * How long an SSE page may wait, after applying updates, before it acknowledges them with
         * a {@code POST ack} (an SSE stream has no request of its own to carry the ack); it does
         * so at once when 100 are unacknowledged. The handshake passes it to the page. Shorter
         * frees the page's queue sooner, at one more request per burst. Default {@value
         * #DEFAULT_SSE_ACK_DELAY_SECONDS} s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder sseAckDelay(Duration delay) {
            this.sseAckDelay = positive(delay, "sseAckDelay");
            return this;
        }

        /**
         * How long one SSE response lives before the page reconnects (losing nothing). Default
         * {@value #DEFAULT_SSE_STREAM_LIFETIME_SECONDS} s.
         */
        public Builder sseStreamLifetime(Duration lifetime) {
            this.sseStreamLifetime = positive(lifetime, "sseStreamLifetime");
            return this;
        }

        /**
         * How long a WebSocket frame may wait to be written (the page's browser not reading) before
         * the socket is closed with code 4001 ({@code SLOW_READER}); the page reconnects and gets
         * every unacknowledged update again. Call replies waiting for such a reader are bounded by
         * {@link #maxQueuedChars} too. Default {@value #DEFAULT_WEBSOCKET_SEND_TIMEOUT_SECONDS} s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder websocketSendTimeout(Duration timeout) {
            this.websocketSendTimeout = positive(timeout, "websocketSendTimeout");
            return this;
        }

        /**
         * Whether the tabs of one browser may share one WebSocket: the leader tab's socket then
         * carries the updates of the other pages of its HTTP session that {@code attach} to it
         * (docs/PROTOCOL.md), each with its own numbering and acknowledgements. Off: attaching
         * is refused ({@code SHARING_OFF}) and the handshake tells the engine not to try, so each
         * tab opens its own connection. Default {@value #DEFAULT_SHARE_CONNECTIONS}.
         */
        public Builder shareConnections(boolean share) {
            this.shareConnections = share;
            return this;
        }

        /** A page not heard from for this long ends. Default {@value #DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS} s. */
        public Builder pageIdleTimeout(Duration timeout) {
            this.pageIdleTimeout = positive(timeout, "pageIdleTimeout");
            return this;
        }

        /**
         * A page that makes no request at all this long after its handshake ends: handshakes
         * nobody comes back to (a flood's) do not hold a page for the whole idle timeout. The
         * engine confirms every page right after its handshake. Default {@value
         * #DEFAULT_FIRST_CONTACT_TIMEOUT_SECONDS} s; longer than {@link #pageIdleTimeout} has
         * no effect.
         */
        public Builder firstContactTimeout(Duration timeout) {
            this.firstContactTimeout = positive(timeout, "firstContactTimeout");
            return this;
        }

        /**
         * Handshakes one client address may make at once, and per minute after (a token bucket);
         * past it a handshake is refused with 429 {@code TOO_MANY_HANDSHAKES} and a {@code
         * Retry-After}, which the engine waits for. Raise it when many users share an address
         * (an office behind one NAT). Default {@value #DEFAULT_HANDSHAKES_PER_MINUTE}.
         */
        public Builder handshakesPerMinute(int handshakes) {
            this.handshakesPerMinute = (int) positive(handshakes, "handshakesPerMinute");
            return this;
        }

        /**
         * Whether clients on a loopback address ({@code 127.0.0.0/8}, {@code ::1}) count against
         * {@link #handshakesPerMinute}. Default {@value #DEFAULT_RATE_LIMIT_LOOPBACK}: a loopback
         * client is a reverse proxy on the same host that is not listed in {@link #trustedProxies}
         * (whose visitors would otherwise share one allowance and soon be refused) or a local test
         * or load tool. Behind such a proxy, list it in {@link #trustedProxies}: its visitors are
         * then limited by their own addresses.
         */
        public Builder rateLimitLoopback(boolean limit) {
            this.rateLimitLoopback = limit;
            return this;
        }

        /**
         * Client addresses whose handshake allowance is remembered at most; past it, clients
         * whose allowance is full again are forgotten first, then any (which only gives them a
         * fresh allowance). Default {@value #DEFAULT_MAX_RATE_LIMITED_CLIENTS}, about 1 MB.
         */
        public Builder maxRateLimitedClients(int clients) {
            this.maxRateLimitedClients = (int) positive(clients, "maxRateLimitedClients");
            return this;
        }

        /**
         * IP addresses of reverse proxies in front of the server. A request from one of them is
         * counted against the right-most {@code X-Forwarded-For} address that is not a trusted
         * proxy, instead of the proxy's. Default: none, every request counts against its remote
         * address (a container that already rewrites it, such as Tomcat with {@code RemoteIpValve},
         * needs none here).
         *
         * @throws IllegalArgumentException for a value that is not an IPv4 or IPv6 address
         */
        public Builder trustedProxies(String... addresses) {
            for (String address : addresses) {
                if (!ClientAddresses.isIpLiteral(address)) {
                    throw new IllegalArgumentException("trustedProxies takes IP addresses such as 10.0.0.5, was " + address);
                }
                trustedProxies.add(address);
            }
            return this;
        }

        /**
         * Pages one HTTP session may have open. A handshake past it ends that browser's least
         * recently seen page (usually a tab closed without notice). Default {@value
         * #DEFAULT_MAX_PAGES_PER_HTTP_SESSION}.
         */
        public Builder maxPagesPerHttpSession(int max) {
            this.maxPagesPerHttpSession = (int) positive(max, "maxPagesPerHttpSession");
            return this;
        }

        /**
         * Pages the server holds; a handshake past it is refused with 503. Default {@value
         * #DEFAULT_MAX_PAGES}.
         */
        public Builder maxPages(int max) {
            this.maxPages = (int) positive(max, "maxPages");
            return this;
        }

        /**
         * Unacknowledged updates per page; past it the page must resync. Default {@value
         * #DEFAULT_MAX_QUEUED_UPDATES}.
         */
        public Builder maxQueuedUpdates(int max) {
            this.maxQueuedUpdates = (int) positive(max, "maxQueuedUpdates");
            return this;
        }

        /**
         * Encoded size (in characters of JSON) of a page's unacknowledged updates; past it the
         * page must resync. A single push larger than this is refused. Default {@value
         * #DEFAULT_MAX_QUEUED_CHARS} characters.
         */
        public Builder maxQueuedChars(long max) {
            this.maxQueuedChars = positive(max, "maxQueuedChars");
            return this;
        }

        /**
         * Held requests (Comet polls, SSE streams) per HTTP session; pages past it poll instead.
         * Default {@value #DEFAULT_MAX_HELD_REQUESTS_PER_HTTP_SESSION}, leaving the browser's other
         * connections to a host free for calls.
         */
        public Builder maxHeldRequestsPerHttpSession(int max) {
            this.maxHeldRequestsPerHttpSession = (int) positive(max, "maxHeldRequestsPerHttpSession");
            return this;
        }

        /**
         * Largest file a call may carry ({@link FileUpload}), in bytes; a larger one is refused
         * with 413 {@code PAYLOAD_TOO_LARGE} naming this limit (the engine refuses it before
         * sending). Default {@value #DEFAULT_MAX_UPLOAD_BYTES} bytes (100 MiB).
         */
        public Builder maxUploadBytes(long bytes) {
            this.maxUploadBytes = positive(bytes, "maxUploadBytes");
            return this;
        }

        /**
         * Most bytes of files one call may carry in all; more is refused with 413 {@code
         * PAYLOAD_TOO_LARGE} naming this limit. Default {@value #DEFAULT_MAX_UPLOAD_BYTES_PER_CALL}
         * bytes (200 MiB).
         */
        public Builder maxUploadBytesPerCall(long bytes) {
            this.maxUploadBytesPerCall = positive(bytes, "maxUploadBytesPerCall");
            return this;
        }

        /**
         * Most files one call may carry; more are refused with 413 {@code PAYLOAD_TOO_LARGE}
         * naming this limit. Default {@value #DEFAULT_MAX_UPLOAD_FILES}.
         */
        public Builder maxUploadFiles(int files) {
            this.maxUploadFiles = (int) positive(files, "maxUploadFiles");
            return this;
        }

        /**
         * How long the URL of a {@link FileDownload} a method returned may be used (once, by the
         * same HTTP session) before it is refused with 410 {@code DOWNLOAD_GONE}. Default {@value
         * #DEFAULT_DOWNLOAD_EXPIRY_SECONDS} s.
         */
        public Builder downloadExpiry(Duration expiry) {
            this.downloadExpiry = positive(expiry, "downloadExpiry");
            return this;
        }

        /**
         * Adds a filter around every remote call (authentication, logging, timing, rate limits).
         * The first added runs outermost; {@link Roles} are checked before any filter.
         */
        public Builder filter(CallFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Allows {@link PageGroup#script(ScriptBuffer)}. Default {@value
         * #DEFAULT_ALLOW_SCRIPT_UPDATES}: prefer function calls.
         */
        public Builder allowScriptUpdates(boolean allow) {
            this.allowScriptUpdates = allow;
            return this;
        }

        /**
         * Carries pushes between the nodes that serve this application, such as
         * {@code RedisBackend.create("redis://...")} from {@code pagewire-redis}: a push on any
         * node reaches the pages on every node, in one order. Default none: pushes stay in this
         * JVM. With a backend a push may wait one round trip and throws {@link
         * PushFailedException} when the backend cannot take it. {@link Pagewire#close()} closes it.
         */
        public Builder backend(PushBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        // Old names, deprecated: kept for one release for code written against the snapshots.

        /** @deprecated renamed {@link #pageIdleTimeout(Duration)} */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Builder sessionIdleTimeout(Duration timeout) {
            return pageIdleTimeout(timeout);
        }

        /** @deprecated renamed {@link #maxPagesPerHttpSession(int)} */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Builder maxScriptSessionsPerHttpSession(int max) {
            return maxPagesPerHttpSession(max);
        }

        /** @deprecated renamed {@link #maxPages(int)} */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Builder maxScriptSessions(int max) {
            return maxPages(max);
        }

        /** @deprecated renamed {@link #maxQueuedChars(long)}: it counts characters, not bytes */
        @Deprecated(since = "0.1.0", forRemoval = true)
        public Builder maxQueuedBytes(long max) {
            return maxQueuedChars(max);
        }

        /**
         * Lets pages subscribe to, or publish on, the topics of {@code rule}'s pattern. Pages may do
         * neither on a topic no rule covers; the first rule that covers a topic decides. With at
         * least one rule, the topics' remote methods are exposed as the proxy
         * {@code PagewireTopics}, which the engine's {@code pagewire.subscribe} and
         * {@code pagewire.publish} call (so call filters and limits apply to them).
         */
        public Builder topic(TopicRule rule) {
            topicRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * The server's clock, which pages estimate with {@code pagewire.serverTime()} and topic
         * updates are stamped with. Package-private: for tests that skew it; the system's UTC
         * clock otherwise.
         */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates the configuration and returns it.
         *
         * @throws IllegalStateException naming the class, method and type of the first problem
         */
        public Pagewire build() {
            return new Pagewire(this);
        }

        /** Durations travel to pages in whole milliseconds: less than one would reach them as 0. */
        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
            }
            return value;
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Object construct(Class<?> type) {
            try {
                var constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                return constructor.newInstance();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Cannot create " + type.getName()
                        + ": it has no no-argument constructor; expose an instance or set an instanceFactory", e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Cannot create " + type.getName() + ": its constructor threw "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot create " + type.getName() + ": " + e, e);
            }
        }
    }
}
