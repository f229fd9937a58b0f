package dev.pagewire.spring;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code pagewire.*} properties: one for each setting of {@link Pagewire.Builder}, with its
 * default, and {@code pagewire.path}. Durations take Spring's forms ({@code 30s}, {@code
 * 500ms}, {@code PT30S}); lists are comma-separated or indexed. {@code docs/CONFIGURATION.md}
 * lists them all.
 *
 * <pre>{@code
 * pagewire.path=/rpc
 * pagewire.delivery-mode=comet
 * pagewire.delivery-rules[0].pattern=/ticker/**
 * pagewire.delivery-rules[0].mode=sse
 * }</pre>
 *
 * The settings that take objects rather than values come from beans instead: every bean
 * annotated {@code @RemoteProxy} is exposed, every {@code CallFilter} bean is a filter, a
 * {@code PushBackend} bean is the backend (else {@code pagewire.backend}), and a {@link
 * PagewireCustomizer} bean may change anything else.
 */
@ConfigurationProperties("pagewire")
public class PagewireProperties {
    /** The path Pagewire is served under, without a trailing slash: the engine is then at {@code {path}/engine.js}. */
    private String path = "/pagewire";

    /** Serves the debug page at {@code {path}/} and makes proxies explain methods the server does not expose. Keep it off in production. */
    private boolean debug = Pagewire.Builder.DEFAULT_DEBUG;

    /** Largest request body accepted, in bytes; larger ones are refused with 413. */
    private long maxBodyBytes = Pagewire.Builder.DEFAULT_MAX_BODY_BYTES;

    /** Deepest JSON nesting accepted (at least 5); deeper is refused with 400. */
    private int maxJsonDepth = Pagewire.Builder.DEFAULT_MAX_JSON_DEPTH;

    /** Most calls in one request; more are refused with 400 (the engine splits larger batches). */
    private int maxCallsPerBatch = Pagewire.Builder.DEFAULT_MAX_CALLS_PER_BATCH;

    /** The time the calls of one batch may take in all; calls still running then get the error TIMEOUT. */
    private Duration batchTimeBudget = Duration.ofSeconds(Pagewire.Builder.DEFAULT_BATCH_TIME_BUDGET_SECONDS);

    /** Origins besides the server's own that may POST, such as {@code https://app.example.com}. */
    private List<String> allowOrigins = new ArrayList<>();

    /** The {@code Host} header values this server answers to; empty answers any. Set it in production. */
    private List<String> allowHosts = new ArrayList<>();

    /** IP addresses of reverse proxies in front of the server, whose {@code X-Forwarded-For} is believed. */
    private List<String> trustedProxies = new ArrayList<>();

    /** How pages receive updates unless a delivery rule matches them: auto (the default), passive, polling, comet, sse or websocket. */
    private DeliveryMode deliveryMode = Pagewire.Builder.DEFAULT_DELIVERY_MODE;

    /** The delivery modes pages may use, by rule or by switching in page JavaScript. */
    private Set<DeliveryMode> allowDeliveryModes = EnumSet.complementOf(EnumSet.of(DeliveryMode.AUTO)); // auto is a choice, always allowed

    /** Delivery rules, first match wins: pages whose path matches a rule's pattern use its mode. */
    private List<DeliveryRule> deliveryRules = new ArrayList<>();

    /** Time between polls in polling mode. */
    private Duration pollInterval = Duration.ofSeconds(Pagewire.Builder.DEFAULT_POLL_INTERVAL_SECONDS);

    /** How long a Comet poll is held with nothing to send. */
    private Duration cometHold = Duration.ofSeconds(Pagewire.Builder.DEFAULT_COMET_HOLD_SECONDS);

    /** How long a held poll waits after the first update, to send a burst as one reply. */
    private Duration cometWriteWindow = Duration.ofSeconds(Pagewire.Builder.DEFAULT_COMET_WRITE_WINDOW_SECONDS);

    /** How often an idle SSE stream gets a heartbeat event. */
    private Duration sseHeartbeat = Duration.ofSeconds(Pagewire.Builder.DEFAULT_SSE_HEARTBEAT_SECONDS);

    /** How long an SSE page may wait, after applying updates, before it acknowledges them. */
    private Duration sseAckDelay = Duration.ofSeconds(Pagewire.Builder.DEFAULT_SSE_ACK_DELAY_SECONDS);

    /** How long one SSE response lives before the page reconnects (losing nothing). */
    private Duration sseStreamLifetime = Duration.ofSeconds(Pagewire.Builder.DEFAULT_SSE_STREAM_LIFETIME_SECONDS);

    /** How long a WebSocket page's frame may wait to be taken by the socket before the socket is cut (the page resumes). */
    private Duration websocketSendTimeout = Duration.ofSeconds(Pagewire.Builder.DEFAULT_WEBSOCKET_SEND_TIMEOUT_SECONDS);

    /** Whether the tabs of one browser may share one WebSocket (the leader tab's). */
    private boolean shareConnections = Pagewire.Builder.DEFAULT_SHARE_CONNECTIONS;

    /** Where pages reach Pagewire when a reverse proxy maps it elsewhere, such as /shop/rpc; none: the request's path. */
    private String publicPath;

    /** This Pagewire's name in its metrics and JMX names; none: pagewire, pagewire-2, ... */
    private String name;

    /** Registers the figures as JMX MBeans. */
    private boolean jmx = Pagewire.Builder.DEFAULT_JMX;

    /** Allows pushing scripts ({@code PageGroup.script}); prefer function calls. */
    private boolean allowScriptUpdates = Pagewire.Builder.DEFAULT_ALLOW_SCRIPT_UPDATES;

    /** A page not heard from for this long ends. */
    private Duration pageIdleTimeout = Duration.ofSeconds(Pagewire.Builder.DEFAULT_PAGE_IDLE_TIMEOUT_SECONDS);

    /** A page that makes no request at all this long after its handshake ends. */
    private Duration firstContactTimeout = Duration.ofSeconds(Pagewire.Builder.DEFAULT_FIRST_CONTACT_TIMEOUT_SECONDS);

    /** Pages one HTTP session may have open; a handshake past it ends that browser's least recently seen page. */
    private int maxPagesPerHttpSession = Pagewire.Builder.DEFAULT_MAX_PAGES_PER_HTTP_SESSION;

    /** Pages the server holds; a handshake past it is refused with 503. */
    private int maxPages = Pagewire.Builder.DEFAULT_MAX_PAGES;

    /** Handshakes one client address may make at once, and per minute after. */
    private int handshakesPerMinute = Pagewire.Builder.DEFAULT_HANDSHAKES_PER_MINUTE;

    /** Whether clients on a loopback address count against handshakes-per-minute. */
    private boolean rateLimitLoopback = Pagewire.Builder.DEFAULT_RATE_LIMIT_LOOPBACK;

    /** Client addresses whose handshake allowance is remembered at most. */
    private int maxRateLimitedClients = Pagewire.Builder.DEFAULT_MAX_RATE_LIMITED_CLIENTS;

    /** Unacknowledged updates per page; past it the page must resync. */
    private int maxQueuedUpdates = Pagewire.Builder.DEFAULT_MAX_QUEUED_UPDATES;

    /** Encoded size, in characters of JSON, of a page's unacknowledged updates; past it the page must resync. */
    private long maxQueuedChars = Pagewire.Builder.DEFAULT_MAX_QUEUED_CHARS;

    /** Held requests (Comet polls, SSE streams) per HTTP session; pages past it poll instead. */
    private int maxHeldRequestsPerHttpSession = Pagewire.Builder.DEFAULT_MAX_HELD_REQUESTS_PER_HTTP_SESSION;

    /** Largest file a call may carry, in bytes; larger is refused with 413. */
    private long maxUploadBytes = Pagewire.Builder.DEFAULT_MAX_UPLOAD_BYTES;

    /** Most bytes of files one call may carry in all; more is refused with 413. */
    private long maxUploadBytesPerCall = Pagewire.Builder.DEFAULT_MAX_UPLOAD_BYTES_PER_CALL;

    /** Most files one call may carry; more are refused with 413. */
    private int maxUploadFiles = Pagewire.Builder.DEFAULT_MAX_UPLOAD_FILES;

    /** How long a download's one-time URL may be used. */
    private Duration downloadExpiry = Duration.ofSeconds(Pagewire.Builder.DEFAULT_DOWNLOAD_EXPIRY_SECONDS);

    /** Classes allowed to travel as JSON without the {@code @DataTransferObject} annotation. */
    private List<Class<?>> dataTransferObjects = new ArrayList<>();

    /** Exceptions (and their subclasses) whose name and message reach the page. */
    private List<Class<? extends Throwable>> clientVisible = new ArrayList<>();

    /** Page interfaces whose TypeScript declarations are served at {@code {path}/interface/{SimpleName}.d.ts}. */
    private List<Class<?>> pageInterfaces = new ArrayList<>();

    /** A URI such as {@code redis://host:6379} that makes this application a node of a cluster, through the backend provider on the class path that handles its scheme ({@code pagewire-redis}); ignored when the application has a {@code PushBackend} bean. */
    private String backend;

    /** The path Pagewire is served under, without a trailing slash: the engine is then at {@code {path}/engine.js}. */
    public String getPath() {
        return path;
    }

    /** Sets {@code pagewire.path}. */
    public void setPath(String path) {
        this.path = path;
    }

    /** Serves the debug page at {@code {path}/} and makes proxies explain methods the server does not expose. Keep it off in production. */
    public boolean isDebug() {
        return debug;
    }

    /** Sets {@code pagewire.debug}. */
    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    /** Largest request body accepted, in bytes; larger ones are refused with 413. */
    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    /** Sets {@code pagewire.max-body-bytes}. */
    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Deepest JSON nesting accepted (at least 5); deeper is refused with 400. */
    public int getMaxJsonDepth() {
        return maxJsonDepth;
    }

    /** Sets {@code pagewire.max-json-depth}. */
    public void setMaxJsonDepth(int maxJsonDepth) {
        this.maxJsonDepth = maxJsonDepth;
    }

    /** Most calls in one request; more are refused with 400 (the engine splits larger batches). */
    public int getMaxCallsPerBatch() {
        return maxCallsPerBatch;
    }

    /** Sets {@code pagewire.max-calls-per-batch}. */
    public void setMaxCallsPerBatch(int maxCallsPerBatch) {
        this.maxCallsPerBatch = maxCallsPerBatch;
    }

    /** The time the calls of one batch may take in all; calls still running then get the error TIMEOUT. */
    public Duration getBatchTimeBudget() {
        return batchTimeBudget;
    }

    /** Sets {@code pagewire.batch-time-budget}. */
    public void setBatchTimeBudget(Duration batchTimeBudget) {
        this.batchTimeBudget = batchTimeBudget;
    }

    /** Origins besides the server's own that may POST, such as {@code https://app.example.com}. */
    public List<String> getAllowOrigins() {
        return allowOrigins;
    }

    /** Sets {@code pagewire.allow-origins}. */
    public void setAllowOrigins(List<String> allowOrigins) {
        this.allowOrigins = allowOrigins;
    }

    /** The {@code Host} header values this server answers to; empty answers any. Set it in production. */
    public List<String> getAllowHosts() {
        return allowHosts;
    }

    /** Sets {@code pagewire.allow-hosts}. */
    public void setAllowHosts(List<String> allowHosts) {
        this.allowHosts = allowHosts;
    }

    /** IP addresses of reverse proxies in front of the server, whose {@code X-Forwarded-For} is believed. */
    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    /** Sets {@code pagewire.trusted-proxies}. */
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** How pages receive updates unless a delivery rule matches them: auto (the default), passive, polling, comet, sse or websocket. */
    public DeliveryMode getDeliveryMode() {
        return deliveryMode;
    }

    /** Sets {@code pagewire.delivery-mode}. */
    public void setDeliveryMode(DeliveryMode deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    /** The delivery modes pages may use, by rule or by switching in page JavaScript. */
    public Set<DeliveryMode> getAllowDeliveryModes() {
        return allowDeliveryModes;
    }

    /** Sets {@code pagewire.allow-delivery-modes}. */
    public void setAllowDeliveryModes(Set<DeliveryMode> allowDeliveryModes) {
        this.allowDeliveryModes = allowDeliveryModes;
    }

    /** Delivery rules, first match wins: pages whose path matches a rule's pattern use its mode. */
    public List<DeliveryRule> getDeliveryRules() {
        return deliveryRules;
    }

    /** Sets {@code pagewire.delivery-rules}. */
    public void setDeliveryRules(List<DeliveryRule> deliveryRules) {
        this.deliveryRules = deliveryRules;
    }

    /** Time between polls in polling mode. */
    public Duration getPollInterval() {
        return pollInterval;
    }

    /** Sets {@code pagewire.poll-interval}. */
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** How long a Comet poll is held with nothing to send. */
    public Duration getCometHold() {
        return cometHold;
    }

    /** Sets {@code pagewire.comet-hold}. */
    public void setCometHold(Duration cometHold) {
        this.cometHold = cometHold;
    }

    /** How long a held poll waits after the first update, to send a burst as one reply. */
    public Duration getCometWriteWindow() {
        return cometWriteWindow;
    }

    /** Sets {@code pagewire.comet-write-window}. */
    public void setCometWriteWindow(Duration cometWriteWindow) {
        this.cometWriteWindow = cometWriteWindow;
    }

    /** How often an idle SSE stream gets a heartbeat event. */
    public Duration getSseHeartbeat() {
        return sseHeartbeat;
    }

    /** Sets {@code pagewire.sse-heartbeat}. */
    public void setSseHeartbeat(Duration sseHeartbeat) {
        this.sseHeartbeat = sseHeartbeat;
    }

    /** How long an SSE page may wait, after applying updates, before it acknowledges them. */
    public Duration getSseAckDelay() {
        return sseAckDelay;
    }

    /** Sets {@code pagewire.sse-ack-delay}. */
    public void setSseAckDelay(Duration sseAckDelay) {
        this.sseAckDelay = sseAckDelay;
    }

    /** How long one SSE response lives before the page reconnects (losing nothing). */
    public Duration getSseStreamLifetime() {
        return sseStreamLifetime;
    }

    /** Sets {@code pagewire.sse-stream-lifetime}. */
    public void setSseStreamLifetime(Duration sseStreamLifetime) {
        this.sseStreamLifetime = sseStreamLifetime;
    }

    /** Allows pushing scripts ({@code PageGroup.script}); prefer function calls. */
    public boolean isAllowScriptUpdates() {
        return allowScriptUpdates;
    }

    /** Sets {@code pagewire.allow-script-updates}. */
    public void setAllowScriptUpdates(boolean allowScriptUpdates) {
        this.allowScriptUpdates = allowScriptUpdates;
    }

    /** A page not heard from for this long ends. */
    public Duration getPageIdleTimeout() {
        return pageIdleTimeout;
    }

    /** Sets {@code pagewire.page-idle-timeout}. */
    public void setPageIdleTimeout(Duration pageIdleTimeout) {
        this.pageIdleTimeout = pageIdleTimeout;
    }

    /** A page that makes no request at all this long after its handshake ends. */
    public Duration getFirstContactTimeout() {
        return firstContactTimeout;
    }

    /** Sets {@code pagewire.first-contact-timeout}. */
    public void setFirstContactTimeout(Duration firstContactTimeout) {
        this.firstContactTimeout = firstContactTimeout;
    }

    /** Pages one HTTP session may have open; a handshake past it ends that browser's least recently seen page. */
    public int getMaxPagesPerHttpSession() {
        return maxPagesPerHttpSession;
    }

    /** Sets {@code pagewire.max-pages-per-http-session}. */
    public void setMaxPagesPerHttpSession(int maxPagesPerHttpSession) {
        this.maxPagesPerHttpSession = maxPagesPerHttpSession;
    }

    /** Pages the server holds; a handshake past it is refused with 503. */
    public int getMaxPages() {
        return maxPages;
    }

    /** Sets {@code pagewire.max-pages}. */
    public void setMaxPages(int maxPages) {
        this.maxPages = maxPages;
    }

    /** Handshakes one client address may make at once, and per minute after. */
    public int getHandshakesPerMinute() {
        return handshakesPerMinute;
    }

    /** Sets {@code pagewire.handshakes-per-minute}. */
    public void setHandshakesPerMinute(int handshakesPerMinute) {
        this.handshakesPerMinute = handshakesPerMinute;
    }

    /** Whether clients on a loopback address count against handshakes-per-minute. */
    public boolean isRateLimitLoopback() {
        return rateLimitLoopback;
    }

    /** Sets {@code pagewire.rate-limit-loopback}. */
    public void setRateLimitLoopback(boolean rateLimitLoopback) {
        this.rateLimitLoopback = rateLimitLoopback;
    }

    /** Client addresses whose handshake allowance is remembered at most. */
    public int getMaxRateLimitedClients() {
        return maxRateLimitedClients;
    }

    /** Sets {@code pagewire.max-rate-limited-clients}. */
    public void setMaxRateLimitedClients(int maxRateLimitedClients) {
        this.maxRateLimitedClients = maxRateLimitedClients;
    }

    /** Unacknowledged updates per page; past it the page must resync. */
    public int getMaxQueuedUpdates() {
        return maxQueuedUpdates;
    }

    /** Sets {@code pagewire.max-queued-updates}. */
    public void setMaxQueuedUpdates(int maxQueuedUpdates) {
        this.maxQueuedUpdates = maxQueuedUpdates;
    }

    /** Encoded size, in characters of JSON, of a page's unacknowledged updates; past it the page must resync. */
    public long getMaxQueuedChars() {
        return maxQueuedChars;
    }

    /** Sets {@code pagewire.max-queued-chars}. */
    public void setMaxQueuedChars(long maxQueuedChars) {
        this.maxQueuedChars = maxQueuedChars;
    }

    /** Held requests (Comet polls, SSE streams) per HTTP session; pages past it poll instead. */
    public int getMaxHeldRequestsPerHttpSession() {
        return maxHeldRequestsPerHttpSession;
    }

    /** Sets {@code pagewire.max-held-requests-per-http-session}. */
    public void setMaxHeldRequestsPerHttpSession(int maxHeldRequestsPerHttpSession) {
        this.maxHeldRequestsPerHttpSession = maxHeldRequestsPerHttpSession;
    }

    /** Largest file a call may carry, in bytes; larger is refused with 413. */
    public long getMaxUploadBytes() {
        return maxUploadBytes;
    }

    /** Sets {@code pagewire.max-upload-bytes}. */
    public void setMaxUploadBytes(long maxUploadBytes) {
        this.maxUploadBytes = maxUploadBytes;
    }

    /** Most bytes of files one call may carry in all; more is refused with 413. */
    public long getMaxUploadBytesPerCall() {
        return maxUploadBytesPerCall;
    }

    /** Sets {@code pagewire.max-upload-bytes-per-call}. */
    public void setMaxUploadBytesPerCall(long maxUploadBytesPerCall) {
        this.maxUploadBytesPerCall = maxUploadBytesPerCall;
    }

    /** Most files one call may carry; more are refused with 413. */
    public int getMaxUploadFiles() {
        return maxUploadFiles;
    }

    /** Sets {@code pagewire.max-upload-files}. */
    public void setMaxUploadFiles(int maxUploadFiles) {
        this.maxUploadFiles = maxUploadFiles;
    }

    /** How long a download's one-time URL may be used. */
    public Duration getDownloadExpiry() {
        return downloadExpiry;
    }

    /** Sets {@code pagewire.download-expiry}. */
    public void setDownloadExpiry(Duration downloadExpiry) {
        this.downloadExpiry = downloadExpiry;
    }

    /** Classes allowed to travel as JSON without the {@code @DataTransferObject} annotation. */
    public List<Class<?>> getDataTransferObjects() {
        return dataTransferObjects;
    }

    /** Sets {@code pagewire.data-transfer-objects}. */
    public void setDataTransferObjects(List<Class<?>> dataTransferObjects) {
        this.dataTransferObjects = dataTransferObjects;
    }

    /** Exceptions (and their subclasses) whose name and message reach the page. */
    public List<Class<? extends Throwable>> getClientVisible() {
        return clientVisible;
    }

    /** Sets {@code pagewire.client-visible}. */
    public void setClientVisible(List<Class<? extends Throwable>> clientVisible) {
        this.clientVisible = clientVisible;
    }

    /** Page interfaces whose TypeScript declarations are served at {@code {path}/interface/{SimpleName}.d.ts}. */
    public List<Class<?>> getPageInterfaces() {
        return pageInterfaces;
    }

    /** Sets {@code pagewire.page-interfaces}. */
    public void setPageInterfaces(List<Class<?>> pageInterfaces) {
        this.pageInterfaces = pageInterfaces;
    }

    /** A URI such as {@code redis://host:6379} that makes this application a node of a cluster, through the backend provider on the class path that handles its scheme ({@code pagewire-redis}); ignored when the application has a {@code PushBackend} bean. */
    public String getBackend() {
        return backend;
    }

    /** Sets {@code pagewire.backend}. */
    public void setBackend(String backend) {
        this.backend = backend;
    }

    /** Returns {@code pagewire.websocket-send-timeout}. */
    public Duration getWebsocketSendTimeout() {
        return websocketSendTimeout;
    }

    /** Sets {@code pagewire.websocket-send-timeout}. */
    public void setWebsocketSendTimeout(Duration websocketSendTimeout) {
        this.websocketSendTimeout = websocketSendTimeout;
    }

    /** Returns {@code pagewire.share-connections}. */
    public boolean isShareConnections() {
        return shareConnections;
    }

    /** Sets {@code pagewire.share-connections}. */
    public void setShareConnections(boolean shareConnections) {
        this.shareConnections = shareConnections;
    }

    /** Returns {@code pagewire.public-path}. */
    public String getPublicPath() {
        return publicPath;
    }

    /** Sets {@code pagewire.public-path}. */
    public void setPublicPath(String publicPath) {
        this.publicPath = publicPath;
    }

    /** Returns {@code pagewire.name}. */
    public String getName() {
        return name;
    }

    /** Sets {@code pagewire.name}. */
    public void setName(String name) {
        this.name = name;
    }

    /** Returns {@code pagewire.jmx}. */
    public boolean isJmx() {
        return jmx;
    }

    /** Sets {@code pagewire.jmx}. */
    public void setJmx(boolean jmx) {
        this.jmx = jmx;
    }

    /** Copies every setting but {@code path} and {@code backend} onto {@code builder}. */
    void applyTo(Pagewire.Builder builder) {
        builder.debug(debug);
        builder.maxBodyBytes(maxBodyBytes);
        builder.maxJsonDepth(maxJsonDepth);
        builder.maxCallsPerBatch(maxCallsPerBatch);
        builder.batchTimeBudget(batchTimeBudget);
        builder.allowOrigins(allowOrigins.toArray(String[]::new));
        builder.allowHosts(allowHosts.toArray(String[]::new));
        builder.trustedProxies(trustedProxies.toArray(String[]::new));
        builder.deliveryMode(deliveryMode);
        builder.pollInterval(pollInterval);
        builder.cometHold(cometHold);
        builder.cometWriteWindow(cometWriteWindow);
        builder.sseHeartbeat(sseHeartbeat);
        builder.sseAckDelay(sseAckDelay);
        builder.sseStreamLifetime(sseStreamLifetime);
        builder.websocketSendTimeout(websocketSendTimeout);
        builder.shareConnections(shareConnections);
        if (publicPath != null) {
            builder.publicPath(publicPath);
        }
        if (name != null) {
            builder.name(name);
        }
        builder.jmx(jmx);
        builder.allowScriptUpdates(allowScriptUpdates);
        builder.pageIdleTimeout(pageIdleTimeout);
        builder.firstContactTimeout(firstContactTimeout);
        builder.maxPagesPerHttpSession(maxPagesPerHttpSession);
        builder.maxPages(maxPages);
        builder.handshakesPerMinute(handshakesPerMinute);
        builder.rateLimitLoopback(rateLimitLoopback);
        builder.maxRateLimitedClients(maxRateLimitedClients);
        builder.maxQueuedUpdates(maxQueuedUpdates);
        builder.maxQueuedChars(maxQueuedChars);
        builder.maxHeldRequestsPerHttpSession(maxHeldRequestsPerHttpSession);
        builder.maxUploadBytes(maxUploadBytes);
        builder.maxUploadBytesPerCall(maxUploadBytesPerCall);
        builder.maxUploadFiles(maxUploadFiles);
        builder.downloadExpiry(downloadExpiry);
        builder.allowDeliveryModes(allowDeliveryModes.toArray(DeliveryMode[]::new));
        for (DeliveryRule rule : deliveryRules) {
            rule.applyTo(builder);
        }
        builder.dataTransferObject(dataTransferObjects.toArray(Class<?>[]::new));
        for (Class<? extends Throwable> type : clientVisible) {
            builder.clientVisible(type);
        }
        builder.pageInterface(pageInterfaces.toArray(Class<?>[]::new));
    }

    /**
     * One delivery rule ({@link Pagewire.Builder#deliveryRule(String, DeliveryMode, DeliveryMode...)}):
     * pages whose path matches {@code pattern} use {@code mode} and may switch only to the
     * modes in {@code also-allowed} (and to passive and polling).
     */
    public static class DeliveryRule {
        /** A glob on the page path: {@code *} within a segment, {@code **} across. */
        private String pattern;
        /** The delivery mode of the matching pages. */
        private DeliveryMode mode;
        /** The poll interval of the matching pages in polling mode; unset takes poll-interval. */
        private Duration pollInterval;
        /** The other modes the matching pages may switch to. */
        private Set<DeliveryMode> alsoAllowed = EnumSet.noneOf(DeliveryMode.class);

        /** A glob on the page path: {@code *} within a segment, {@code **} across. */
        public String getPattern() {
            return pattern;
        }

        /** Sets the glob on the page path. */
        public void setPattern(String pattern) {
            this.pattern = pattern;
        }

        /** The delivery mode of the matching pages. */
        public DeliveryMode getMode() {
            return mode;
        }

        /** Sets the delivery mode of the matching pages. */
        public void setMode(DeliveryMode mode) {
            this.mode = mode;
        }

        /** The poll interval of the matching pages in polling mode, or {@code null} for poll-interval. */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** Sets the poll interval of the matching pages. */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        /** The other modes the matching pages may switch to. */
        public Set<DeliveryMode> getAlsoAllowed() {
            return alsoAllowed;
        }

        /** Sets the other modes the matching pages may switch to. */
        public void setAlsoAllowed(Set<DeliveryMode> alsoAllowed) {
            this.alsoAllowed = alsoAllowed;
        }

        void applyTo(Pagewire.Builder builder) {
            DeliveryMode[] also = alsoAllowed.toArray(DeliveryMode[]::new);
            if (pollInterval == null) {
                builder.deliveryRule(pattern, mode, also);
            } else {
                builder.deliveryRule(pattern, mode, pollInterval, also);
            }
        }
    }
}
