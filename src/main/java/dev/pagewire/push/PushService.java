package dev.pagewire.push;

import dev.pagewire.metrics.Meters;
import dev.pagewire.Page;
import dev.pagewire.PageGroup;
import dev.pagewire.PageListener;
import dev.pagewire.Pages;
import dev.pagewire.ScriptBuffer;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.convert.ValueCheck;
import dev.pagewire.spi.Deliveries;
import dev.pagewire.spi.PageStore;
import dev.pagewire.spi.PushBackend;
import dev.pagewire.spi.Target;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link Pages} over the page registry: each push is encoded once, then appended to the queue
 * of every target page, whose waiter (if any) takes it from there. With a {@link PushBackend}
 * (several nodes), a push is published instead, as a {@link Target} every node can resolve, and
 * comes back to each node's pages through {@link #deliver}, numbered by the backend.
 *
 * <p>Thread-safe: groups are immutable, targets are resolved at each push from the registry's
 * concurrent indexes, and {@link UpdateQueue#append} is thread-safe. {@link #deliver} and
 * {@link #missed} run on the backend's thread, in id order.
 */
public final class PushService implements Pages, Deliveries {
    private final PageRegistry registry;
    private final UpdateEncoder encoder;
    private final PageProxies proxies;
    private final boolean scriptUpdates;
    private final BiFunction<ScriptBuffer, Function<Object, String>, String> renderer;
    private final PushBackend backend;
    private final Meters meters;
    private volatile TopicSubscribers topicSubscribers = (name, each) -> { };
    private final Map<String, Long> versions = new ConcurrentHashMap<>(); // per topic and key, without a backend

    /**
     * @param renderer renders a ScriptBuffer given an encoder of literals (rendering is
     *                 package-private in the API package)
     */
    public PushService(PageRegistry registry, JsonCodec codec, TypeAllowList allowList, long maxQueuedChars,
                       boolean scriptUpdates, BiFunction<ScriptBuffer, Function<Object, String>, String> renderer,
                       PushBackend backend) {
        this.registry = registry;
        this.meters = registry.meters;
        this.encoder = new UpdateEncoder(codec, new ValueCheck(allowList), maxQueuedChars);
        this.proxies = new PageProxies(allowList);
        this.scriptUpdates = scriptUpdates;
        this.renderer = renderer;
        this.backend = backend;
    }

    @Override
    public PageGroup all() {
        return new Group(new Target.All(), registry::all);
    }

    @Override
    public PageGroup forPath(String path) {
        String normalised = PagePaths.normalise(path);
        return new Group(new Target.Path(normalised), () -> registry.onPage(normalised));
    }

    @Override
    public PageGroup matching(Predicate<Page> filter) {
        return all().matching(filter);
    }

    @Override
    public PageGroup forHttpSession(HttpSession session) {
        return new Group(null, () -> registry.ofHttpSession(session));
    }

    @Override
    public PageGroup byId(String pageId) {
        return new Group(new Target.Pages(List.of(pageId)), () -> {
            LivePage s = registry.find(pageId);
            return s == null ? List.of() : List.of(s);
        });
    }

    @Override
    public PageGroup current() {
        LivePage s = CurrentPage.get();
        if (s == null) {
            throw new IllegalStateException("Pages.current() works only inside a remote call");
        }
        return new Group(null, () -> List.of(s));
    }

    @Override
    public void addListener(PageListener listener) {
        registry.addListener(listener);
    }

    @Override
    public void deliver(long id, Target target, String update) {
        synchronized (registry.deliveryLock) {
            Collection<LivePage> pages;
            String key = null;
            if (target instanceof Target.Path path) {
                pages = registry.onPage(path.path());
            } else if (target instanceof Target.Topic topic) {
                List<LivePage> subscribed = new ArrayList<>();
                topicSubscribers.forEach(topic.name(), subscribed::add);
                pages = subscribed;
                key = topic.key() == null ? null : conflation(topic.name(), topic.key());
            } else if (target instanceof Target.Pages chosen) {
                pages = found(chosen.ids());
                pages.forEach(p -> p.personal(id));
            } else {
                pages = registry.all();
            }
            append(pages, id, update, key);
            registry.delivered(id);
        }
    }

    /**
     * Where {@link Target.Topic} deliveries go: the pages of this node subscribed to a topic
     * name. Set once, before the backend starts.
     */
    public void topicSubscribers(TopicSubscribers subscribers) {
        this.topicSubscribers = subscribers;
    }

    /**
     * Where the topic subscriptions of this node's copies are kept in step with the page store
     * (several nodes). Set once, before the backend starts.
     */
    public void copyTopics(CopyTopics topics) {
        registry.copyTopics = topics;
    }

    /**
     * Records in the page store that {@code page} subscribed to {@code pattern} ({@code
     * subscribed}) or unsubscribed from it, so its copies on every node follow; nothing when pages
     * live on this node only. Waits one round trip on the caller's thread.
     *
     * @throws RuntimeException when the store cannot be reached
     */
    public void recordSubscription(LivePage page, String pattern, boolean subscribed) {
        PageStore store = store();
        if (store != null) {
            store.subscription(page.id(), pattern, subscribed, subscribed ? page.textAttributes() : Map.of());
        }
    }

    /**
     * The pages on every node subscribed to the topic {@code name}, as the page store keeps them
     * (one round trip); {@code null} when pages live on this node only.
     *
     * @throws RuntimeException when the store cannot be reached
     */
    public List<PageStore.Subscriber> storedSubscribers(String name) {
        PageStore store = store();
        return store == null ? null : store.subscribers(name);
    }

    /** Ends page {@code id} on every node, whether or not this node holds it (with a store). */
    public void endStored(String id) {
        PageStore store = store();
        if (store != null) {
            store.end(id);
        }
    }

    private PageStore store() {
        return backend == null ? null : backend.pages();
    }

    @Override
    public void subscription(long id, String pageId, String pattern, boolean subscribed) {
        synchronized (registry.deliveryLock) {
            LivePage page = registry.find(pageId);
            CopyTopics topics = registry.copyTopics;
            if (page != null && topics != null) {
                topics.changed(page, pattern, subscribed);
            }
            registry.topicChanged(id);
        }
    }

    /**
     * Publishes on a topic: encodes {@code data} once and queues it for this node's subscribers
     * (with a {@code key}, numbered by this node's count of the key's values and replacing each
     * page's queued value of that key), or, with a backend, publishes it once for every node to
     * deliver to its own subscribers (the backend numbers a key's values for the cluster, and each
     * node replaces queued values of the key). Runs on the publishing thread.
     *
     * @param key  the key of a latest value ({@code publishLatest}), or {@code null}
     * @param time the server's time of the publish (ms since the epoch), which the update carries
     * @param type the declared type of {@code data}, or {@code null} to check its runtime classes
     * @throws IllegalArgumentException if {@code data} is not convertible (nothing is queued)
     */
    public void publishTopic(String topic, String key, long time, Object data, Type type) {
        if (backend != null) {
            backend.publish(new Target.Topic(topic, key), encoder.topic(topic, key, 0, time, data, type));
            return;
        }
        String conflation = key == null ? null : conflation(topic, key);
        long version = key == null ? 0 : versions.merge(conflation, 1L, Long::sum);
        String fragment = encoder.topic(topic, key, version, time, data, type);
        topicSubscribers.forEach(topic, page -> {
            if (page.queue().append(0, fragment, conflation)) {
                registry.overflowed(page);
            }
        });
    }

    @Override
    public void missed(long id) {
        for (LivePage page : registry.all()) {
            if (registry.shared()) {
                page.queue().markStale(); // loaded again from the store at its next request
            } else {
                page.queue().resyncAt(id);
                registry.overflowed(page);
            }
        }
    }

    @Override
    public void heard(long id) {
        registry.heard(id);
    }

    @Override
    public void ended(String pageId) {
        LivePage page = registry.find(pageId);
        if (page != null) {
            registry.forget(page);
        }
    }

    private List<LivePage> found(List<String> ids) {
        List<LivePage> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            LivePage page = registry.find(id);
            if (page != null) {
                out.add(page);
            }
        }
        return out;
    }

    /** What identifies a latest value in a page's queue: its topic and key. */
    static String conflation(String topic, String key) {
        return topic + ' ' + key;
    }

    /**
     * Appends to every target's queue, timed as the push's fan-out; a {@code key} replaces the
     * queued update with that key.
     */
    private void append(Collection<LivePage> targets, long id, String fragment, String key) {
        long start = System.nanoTime();
        int n = 0;
        for (LivePage s : targets) {
            n++;
            if (s.queue().append(id, fragment, key)) {
                meters.overflows.increment();
                registry.overflowed(s);
            }
        }
        meters.updatesQueued.add(n);
        meters.pushFanOut.record(System.nanoTime() - start);
    }

    /** This node's pages subscribed to topics, as publishes and deliveries find them. */
    public interface TopicSubscribers {
        /**
         * Gives {@code each} every live page of this node subscribed by a pattern matching the
         * topic {@code name}, once, on the calling thread, in one pass over the subscriptions.
         */
        void forEach(String name, Consumer<LivePage> each);
    }

    /**
     * Pages chosen for a push. {@code scope} is how every node can find them (all, a path, ids);
     * {@code null} where only this node can (a filter, an HTTP session, the calling page), which
     * is published as the ids found here.
     */
    private final class Group implements PageGroup {
        private final Target scope;
        private final Supplier<Collection<LivePage>> targets;

        Group(Target scope, Supplier<Collection<LivePage>> targets) {
            this.scope = scope;
            this.targets = targets;
        }

        private void publish(String fragment) {
            if (backend == null) {
                append(targets.get(), 0, fragment, null);
                return;
            }
            Target target = scope != null ? scope
                    : new Target.Pages(targets.get().stream().map(LivePage::id).toList());
            if (!(target instanceof Target.Pages p && p.ids().isEmpty())) {
                backend.publish(target, fragment);
            }
        }

        @Override
        public void call(String function, Object... args) {
            publish(encoder.call(function, args == null ? new Object[0] : args, null));
        }

        @Override
        public <T> T proxy(Class<T> pageInterface) {
            return proxies.proxy(pageInterface, (target, args) -> push(target.function(), args, target.types()));
        }

        private void push(String function, Object[] args, Type[] types) {
            publish(encoder.call(function, args, types));
        }

        @Override
        public void script(ScriptBuffer script) {
            if (!scriptUpdates) {
                throw new IllegalStateException("script updates are off: enable them with "
                        + "Pagewire.Builder.allowScriptUpdates(true), or push a function call instead");
            }
            publish(encoder.script(renderer.apply(script, encoder::literal)));
        }

        @Override
        public PageGroup matching(Predicate<Page> filter) {
            return new Group(null, () -> {
                List<LivePage> out = new ArrayList<>();
                for (LivePage s : targets.get()) {
                    if (filter.test(s)) {
                        out.add(s);
                    }
                }
                return out;
            });
        }

        @Override
        public List<Page> pages() {
            return List.copyOf(targets.get());
        }
    }
}
