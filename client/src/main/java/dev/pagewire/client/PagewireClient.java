package dev.pagewire.client;

import com.google.gson.JsonElement;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page in a Java program: calls a Pagewire server's exposed objects through Java interfaces
 * and receives its pushes, as the browser engine does, over the same wire protocol
 * ({@code docs/PROTOCOL.md}). For server-to-server integrations, test suites and load tools.
 *
 * <pre>{@code
 * interface Echo {                                   // the server's exposed Echo
 *     String echo(String text);                      // blocks until the reply
 *     CompletableFuture<String> later(String text);  // returns at once
 * }
 * try (PagewireClient client = PagewireClient.builder(URI.create("http://localhost:8080/pagewire"))
 *         .path("/chat/")
 *         .deliveryMode(DeliveryMode.SSE)
 *         .expose("chatUi.addMessage", args -> System.out.println(args.get(0, String.class)))
 *         .build()) {
 *     Echo echo = client.proxy(Echo.class);
 *     echo.echo("hello");
 * }
 * }</pre>
 *
 * <p><b>The page.</b> {@link Builder#build()} starts the client: it makes a page with a
 * handshake ({@code POST handshake}, with the builder's {@link Builder#path path}), keeping the
 * cookies the server sets as a browser would and sending {@code Origin} as a page of the base's
 * origin. Calls made before the handshake is done wait for it. When the server no longer knows
 * the page (it restarted, or the page expired), the client makes a new one and tells
 * {@link ClientListener#resync} with reason {@code lost}.
 *
 * <p><b>Updates.</b> The client receives pushes in the delivery mode it asked for if the server
 * allows it at the page's path, else in the one the server advises, and on every call reply. It
 * applies them as the engine does: in {@code seq} order, each number once, acknowledging them
 * with its next request (SSE: with {@code POST ack}), moving on to the server's {@code upTo}, and
 * falling back to polling when the server says so. After a network error it reconnects, waiting
 * the builder's {@link Builder#reconnectDelays reconnect delays} (1, 2, 5, 10, 30 s by default);
 * the server keeps every update until it is acknowledged, so none is lost on a cut connection.
 *
 * <p><b>Calls.</b> Each call is a batch of its own, sent when it is made (calls are not gathered
 * into batches), with a {@code batch} number counting up so the server never runs a resent one
 * twice: over the page's WebSocket while it is open, else as a {@code POST call}.
 *
 * <p><b>Topics.</b> {@link #subscribe} and {@link #publish} speak the server's topics through
 * its {@code PagewireTopics} calls; subscriptions are made again on a page that replaces a lost one.
 *
 * <p><b>Threading.</b> Every public method is safe from any thread. A client has three kinds of
 * threads, all daemons: the delivery thread {@code pagewire-client-N-delivery} makes the polls and
 * reads the stream or the socket; the update thread {@code pagewire-client-N-updates} runs every
 * {@link PushHandler} and {@link ClientListener} method of this client, one at a time, in push
 * order (updates of a page in {@code seq} order), and the delivery thread waits for it before
 * its next request; the HTTP threads {@code pagewire-client-N-http} complete the futures of calls
 * (so stages chained on them run there). A blocking call made from a handler is fine (its reply
 * does not need the update thread), but a handler that never returns stops delivery.
 */
public final class PagewireClient implements AutoCloseable {
    private static final AtomicInteger CLIENT_NUMBERS = new AtomicInteger();

    private final WireHttp http;
    private final UpdateApplier applier;
    private final PageSession session;
    private final Calls calls;
    private final Topics topics;
    private final Thread deliveryThread;

    private PagewireClient(Builder builder) {
        int number = CLIENT_NUMBERS.incrementAndGet();
        AtomicInteger httpThreadNumbers = new AtomicInteger();
        ExecutorService httpThreads = Executors.newCachedThreadPool(runnable -> daemon(runnable,
                "pagewire-client-" + number + "-http-" + httpThreadNumbers.incrementAndGet()));
        this.http = new WireHttp(builder.base, httpThreads);
        this.topics = new Topics(this::callTopics);
        this.applier = new UpdateApplier(builder.listener, topics, number);
        builder.handlers.forEach(applier::expose);
        this.session = new PageSession(http, builder.path, applier);
        this.calls = new Calls(http, session, applier, builder.callTimeout);
        Delivery delivery = new Delivery(http, session, applier, calls, new Backoff(builder.reconnectDelays), builder.deliveryMode);
        this.deliveryThread = daemon(delivery, "pagewire-client-" + number + "-delivery");
        deliveryThread.start();
    }

    /**
     * A builder for a client of the Pagewire mounted at {@code base}, such as
     * {@code http://localhost:8080/pagewire} (the URL the page's {@code engine.js} comes from,
     * without {@code /engine.js}).
     */
    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /**
     * Calls to the exposed object named as {@code type}'s simple name (the server's default
     * name for an exposed class), through that interface; see {@link #proxy(String, Class)}.
     */
    public <T> T proxy(Class<T> type) {
        return proxy(type.getSimpleName(), type);
    }

    /**
     * Calls to the exposed object {@code name} through the interface {@code type}: each method
     * calls the exposed method of the same name with its arguments. Methods returning
     * {@link CompletableFuture} or {@link java.util.concurrent.CompletionStage} return at once,
     * completing with the result or a {@link PagewireCallException}; any other blocks until the
     * reply and throws {@link PagewireCallException} for an error. A {@link FileDownload} result is
     * a file the method returned, to fetch. Arguments and results convert
     * as the protocol's "Types on the wire" table says (records, lists, maps, enums,
     * {@code java.time} values as ISO-8601 strings).
     *
     * @throws IllegalArgumentException when {@code type} is not an interface
     */
    public <T> T proxy(String name, Class<T> type) {
        Objects.requireNonNull(name, "name");
        return ProxyInvocation.create(calls, http, name, type);
    }

    /**
     * Calls {@code proxy.method(args)} without an interface; completes with the result as JSON
     * (JSON {@code null} for {@code void}), or exceptionally with a {@link PagewireCallException}.
     */
    public CompletableFuture<JsonElement> call(String proxy, String method, Object... args) {
        return calls.call(Objects.requireNonNull(proxy, "proxy"), Objects.requireNonNull(method, "method"), args);
    }

    /**
     * Runs {@code handler} for every pushed call of {@code function} (such as
     * {@code chatUi.addMessage}) from now on, replacing any handler of that name. Prefer
     * {@link Builder#expose}, which is in place before the first update arrives.
     */
    public void expose(String function, PushHandler handler) {
        applier.expose(Objects.requireNonNull(function, "function"), Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Runs {@code handler} for what is published on every topic {@code pattern} means:
     * {@code /chat/lobby}, {@code /stocks/*} (one segment) or {@code /stocks/**} (any depth),
     * with the data converted to {@code type} ({@code JsonElement.class} for the JSON as is).
     * The first handler of a pattern subscribes the page with the call
     * {@code PagewireTopics.subscribe} (the server's topic rules decide; a refusal fails
     * {@link Subscription#ready()} with {@code FORBIDDEN} or {@code BAD_ARGUMENTS} and ends the
     * subscription); the subscription holds until {@link Subscription#unsubscribe()}, and the
     * client subscribes again on the page that replaces a lost one (after {@code resync lost}
     * values published meanwhile are not delivered). A latest-value topic's handler learns its
     * key and how many values conflation skipped from its {@link TopicInfo}.
     *
     * @throws IllegalArgumentException when {@code pattern} does not start with {@code /}
     */
    public <T> Subscription subscribe(String pattern, Class<T> type, TopicHandler<T> handler) {
        requireTopic(pattern, "pattern");
        return topics.subscribe(pattern, Objects.requireNonNull(type, "type"), Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Publishes {@code data} (converted as call arguments are) on {@code topic} for the pages
     * subscribed to it, or for the server's handler of a service topic, where the server's topic
     * rules allow this page: the call {@code PagewireTopics.publish}. Completes when the server
     * has queued it; fails as a call does ({@code FORBIDDEN}, {@code BAD_ARGUMENTS}, ...).
     *
     * @throws IllegalArgumentException when {@code topic} does not start with {@code /}
     */
    public CompletableFuture<Void> publish(String topic, Object data) {
        requireTopic(topic, "topic");
        return topics.publish(topic, data);
    }

    /** The current page's id, or null before the first handshake and while a lost page is replaced. */
    public String pageId() {
        Page page = session.peek();
        return page == null ? null : page.id;
    }

    /**
     * Stops delivery, tells the server the page is going away ({@code POST unload}, as a closing
     * tab does) and stops the delivery and update threads. Calls already sent still complete with
     * their replies (their HTTP threads end when idle); calls made after this fail with
     * {@code CLOSED}. Idempotent.
     */
    @Override
    public void close() {
        Page last = session.close();
        deliveryThread.interrupt();
        if (last != null) {
            try {
                Delivery.await(http.unload(last));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // the server is gone already: nothing to tell
            }
        }
        applier.close();
    }

    private CompletableFuture<JsonElement> callTopics(String method, Object[] args) {
        return calls.call(Topics.PROXY, method, args);
    }

    private static void requireTopic(String name, String what) {
        if (name == null || !name.startsWith("/")) {
            throw new IllegalArgumentException(what + " must start with /: " + name);
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Settings of a {@link PagewireClient}; {@link #build()} makes and starts it. Not thread-safe.
     */
    public static final class Builder {
        private final URI base;
        private String path = "/";
        private DeliveryMode deliveryMode;
        private ClientListener listener = new ClientListener() { };
        private final Map<String, PushHandler> handlers = new LinkedHashMap<>();
        private List<Duration> reconnectDelays = Backoff.DEFAULT_DELAYS;
        private Duration callTimeout;

        private Builder(URI base) {
            this.base = Objects.requireNonNull(base, "base");
        }

        /**
         * The page's path, as a browser page's {@code location.pathname}: the server's delivery
         * rules and {@code pages.forPath(path)} pushes match it. Default {@code /}.
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * The delivery mode to receive updates in, if the server allows it at the page's path;
         * otherwise (reported to {@link ClientListener#problem} as {@code MODE_NOT_ALLOWED}), and
         * by default, the mode the server advises.
         */
        public Builder deliveryMode(DeliveryMode mode) {
            this.deliveryMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Runs {@code handler} for every pushed call of {@code function}; see {@link PagewireClient#expose}. */
        public Builder expose(String function, PushHandler handler) {
            handlers.put(Objects.requireNonNull(function, "function"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** Hears connections, losses, resyncs and problems. */
        public Builder listener(ClientListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The waits before reconnecting after failures, in turn, the last one repeating; each
         * varies by up to 30 %, and a success starts over. Default 1, 2, 5, 10 and 30 seconds.
         *
         * @throws IllegalArgumentException when empty or a delay is negative
         */
        public Builder reconnectDelays(Duration... delays) {
            List<Duration> list = new ArrayList<>(List.of(delays));
            if (list.isEmpty() || list.stream().anyMatch(Duration::isNegative)) {
                throw new IllegalArgumentException("reconnect delays must be one or more durations of at least zero: " + list);
            }
            this.reconnectDelays = list;
            return this;
        }

        /**
         * How long a call waits for its reply before failing with {@code TIMEOUT} (the call may
         * still run on the server). Default: as long as the server takes (the server ends a batch
         * after its {@code batchTimeBudget}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder callTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callTimeout must be positive: " + timeout);
            }
            this.callTimeout = timeout;
            return this;
        }

        /**
         * Makes the client and starts it: the handshake and delivery begin in the background.
         *
         * @throws IllegalArgumentException when the base is not an absolute http(s) URL
         */
        public PagewireClient build() {
            String scheme = base.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("the base must be an http or https URL, such as http://host:8080/pagewire: " + base);
            }
            return new PagewireClient(this);
        }
    }
}
