package dev.pagewire.push;

import dev.pagewire.PageGroup;
import dev.pagewire.Pages;
import dev.pagewire.ScriptBuffer;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.convert.ValueCheck;
import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link Pages} over the page registry: each push is encoded once, then appended to the queue
 * of every target page, whose waiter (if any) takes it from there.
 *
 * <p>Thread-safe: groups are immutable, targets are resolved at each push from the registry's
 * concurrent indexes, and {@link UpdateQueue#append} is thread-safe.
 */
public final class PushService implements Pages {
    private final PageRegistry registry;
    private final UpdateEncoder encoder;
    private final PageProxies proxies;
    private final boolean scriptUpdates;
    private final BiFunction<ScriptBuffer, Function<Object, String>, String> renderer;

    /**
     * @param renderer renders a ScriptBuffer given an encoder of literals (rendering is
     *                 package-private in the API package)
     */
    public PushService(PageRegistry registry, JsonCodec codec, TypeAllowList allowList, long maxQueuedChars,
                       boolean scriptUpdates, BiFunction<ScriptBuffer, Function<Object, String>, String> renderer) {
        this.registry = registry;
        this.encoder = new UpdateEncoder(codec, new ValueCheck(allowList), maxQueuedChars);
        this.proxies = new PageProxies(allowList);
        this.scriptUpdates = scriptUpdates;
        this.renderer = renderer;
    }

    @Override
    public PageGroup all() {
        return new Group(registry::all);
    }

    @Override
    public PageGroup forPath(String path) {
        String normalised = PagePaths.normalise(path);
        return new Group(() -> registry.onPage(normalised));
    }

    @Override
    public PageGroup matching(Predicate<Page> filter) {
        return all().matching(filter);
    }

    @Override
    public PageGroup forHttpSession(HttpSession session) {
        return new Group(() -> registry.ofHttpSession(session));
    }

    @Override
    public PageGroup byId(String pageId) {
        return new Group(() -> {
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
        return new Group(() -> List.of(s));
    }

    @Override
    public void addListener(PageListener listener) {
        registry.addListener(listener);
    }

    private void append(Collection<LivePage> targets, String fragment) {
        for (LivePage s : targets) {
            if (s.queue().append(fragment)) {
                registry.overflowed(s);
            }
        }
    }

    private final class Group implements PageGroup {
        private final Supplier<Collection<LivePage>> targets;

        Group(Supplier<Collection<LivePage>> targets) {
            this.targets = targets;
        }

        @Override
        public void call(String function, Object... args) {
            append(targets.get(), encoder.call(function, args == null ? new Object[0] : args, null));
        }

        @Override
        public <T> T proxy(Class<T> pageInterface) {
            return proxies.proxy(pageInterface, (target, args) -> push(target.function(), args, target.types()));
        }

        private void push(String function, Object[] args, Type[] types) {
            append(targets.get(), encoder.call(function, args, types));
        }

        @Override
        public void script(ScriptBuffer script) {
            if (!scriptUpdates) {
                throw new IllegalStateException("script updates are off: enable them with "
                        + "Pagewire.Builder.allowScriptUpdates(true), or push a function call instead");
            }
            append(targets.get(), encoder.script(renderer.apply(script, encoder::literal)));
        }

        @Override
        public PageGroup matching(Predicate<Page> filter) {
            return new Group(() -> {
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
