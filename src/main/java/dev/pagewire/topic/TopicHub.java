package dev.pagewire.topic;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.PublishRefusedException;
import dev.pagewire.Topic;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicHandler;
import dev.pagewire.TopicListener;
import dev.pagewire.TopicRule;
import dev.pagewire.Topics;
import dev.pagewire.convert.ConversionException;
import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.push.CopyTopics;
import dev.pagewire.push.LivePage;
import dev.pagewire.push.PushService;
import dev.pagewire.remoting.CallRefused;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.spi.PageStore;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The topics of one Pagewire: the rules that say what pages may do, the subscriptions of this
 * node's pages, presence listeners, and publishing through {@link PushService}, which encodes
 * each publish once and queues it for every subscriber.
 *
 * <p><b>Threading.</b> Thread-safe. Server code publishes from any thread; pages' subscribes and
 * publishes run on their call's thread, where the authorizers ({@link TopicAccess}), the publish
 * listeners and the service handlers run too. Presence listeners run on the thread of the
 * subscribe, unsubscribe or page end that caused them, after the change.
 *
 * <p><b>Several nodes.</b> With a page store, a subscribe or unsubscribe is made on this node's copy,
 * then recorded in the store (one round trip on the call's thread; undone on the copy if that
 * fails), and only then told to the presence listeners; the other nodes'
 * copies follow through the backend's deliveries ({@link CopyTopics}, on its thread), and a copy
 * loaded from the store gets the store's subscriptions. {@link Topic#subscribers()} asks the
 * store (one round trip on the caller's thread) and adds the pages other nodes serve as {@link
 * StoredPage}s. Presence listeners hear only the changes made on their node.
 */
public final class TopicHub implements Topics {
    private record Rule(TopicPattern pattern, TopicRule rule) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final PushService push;
    private final JsonCodec codec;
    private final Clock clock;
    private final Subscriptions subscriptions = new Subscriptions();
    private final List<TopicListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @throws IllegalStateException naming the rule whose pattern or data type is not acceptable
     */
    public TopicHub(List<TopicRule> rules, PushService push, JsonCodec codec, TypeAllowList allowList, Clock clock) {
        for (TopicRule r : rules) {
            TopicPattern pattern;
            try {
                pattern = TopicPattern.parse(r.pattern());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("topic rule: " + e.getMessage(), e);
            }
            String why = r.dataType() == null ? null : allowList.rejection(r.dataType());
            if (why != null) {
                throw new IllegalStateException("topic rule " + r.pattern() + ": pages' data type "
                        + r.dataType().getName() + " is not convertible: " + why);
            }
            this.rules.add(new Rule(pattern, r));
        }
        this.push = push;
        this.codec = codec;
        this.clock = clock;
        push.topicSubscribers(subscriptions::forEach);
        push.copyTopics(new CopyTopics() {
            @Override
            public void restore(LivePage page, Collection<String> patterns) {
                subscriptions.restore(page, patterns.stream().map(TopicPattern::parse).toList());
            }

            @Override
            public void changed(LivePage page, String pattern, boolean subscribed) {
                if (subscribed) {
                    subscriptions.add(page, TopicPattern.parse(pattern));
                } else {
                    subscriptions.remove(page, TopicPattern.parse(pattern));
                }
            }
        });
        push.addListener(new PageListener() {
            @Override
            public void destroyed(Page page) {
                ended((LivePage) page);
            }
        });
    }

    @Override
    public <T> Topic<T> topic(String name) {
        return new Handle<>(TopicPattern.name(name).toString());
    }

    @Override
    public void addListener(TopicListener listener) {
        listeners.add(listener);
    }

    /** A page asks to subscribe to {@code pattern}. */
    void subscribe(Page page, HttpServletRequest request, String pattern) {
        TopicPattern p = parse(pattern, false);
        Rule rule = ruleFor(p);
        if (rule.rule().service() != null) {
            throw refused("subscribe", pattern, "a service topic reaches the server only");
        }
        allow(rule.rule().subscribers(), page, request, pattern, "subscribe", false);
        LivePage live = (LivePage) page;
        if (subscriptions.add(live, p)) { // first here: the store's echo through the feed finds it made
            try {
                push.recordSubscription(live, p.toString(), true);
            } catch (RuntimeException e) {
                subscriptions.remove(live, p);
                throw e;
            }
            tell(l -> l.subscribed(page, pattern), page);
        }
    }

    /** A page ends its subscription to {@code pattern}. */
    void unsubscribe(Page page, String pattern) {
        TopicPattern p = parse(pattern, false);
        LivePage live = (LivePage) page;
        boolean removed = subscriptions.remove(live, p);
        try {
            push.recordSubscription(live, p.toString(), false);
        } catch (RuntimeException e) {
            if (removed) {
                subscriptions.add(live, p);
            }
            throw e;
        }
        if (removed) {
            tell(l -> l.unsubscribed(page, pattern), page);
        }
    }

    /**
     * A page publishes {@code json} on {@code topic}: the rule's authorizer, the conversion to its
     * data type, the publish listeners in order, then the subscribers or the service handler.
     */
    @SuppressWarnings("unchecked")
    void publishFromPage(Page page, HttpServletRequest request, String topic, String json) throws Exception {
        TopicPattern name = parse(topic, true);
        TopicRule rule = ruleFor(name).rule();
        allow(rule.publishers(), page, request, topic, "publish on", true);
        Object data = filtered(page, topic, data(rule.dataType(), json));
        if (rule.service() != null) {
            ((TopicHandler<Object>) rule.service()).received(page, topic, data);
        } else {
            // A replacement of another type is checked by its runtime classes, as a server publish.
            Class<?> declared = rule.dataType().isInstance(data) ? rule.dataType() : null;
            push.publishTopic(topic, null, clock.millis(), data, declared);
        }
    }

    /** {@code data} through every listener's {@link TopicListener#publishing}, in order. */
    private Object filtered(Page page, String topic, Object data) {
        Object out = data;
        for (TopicListener l : listeners) {
            try {
                out = l.publishing(page, topic, out);
            } catch (PublishRefusedException e) {
                throw new CallRefused("REFUSED", "publish on " + topic + " refused: " + e.getMessage());
            }
        }
        return out;
    }

    private Object data(Class<?> type, String json) {
        try {
            JsonElement element = json == null ? null : JsonParser.parseString(json);
            return codec.fromJson(element, type);
        } catch (JsonParseException | ConversionException e) {
            throw new CallRefused("BAD_ARGUMENTS", "the data must be a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static TopicPattern parse(String text, boolean nameOnly) {
        try {
            return nameOnly ? TopicPattern.name(text) : TopicPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CallRefused("BAD_ARGUMENTS", e.getMessage());
        }
    }

    /** The first rule whose pattern covers {@code p}. */
    private Rule ruleFor(TopicPattern p) {
        for (Rule r : rules) {
            if (r.pattern().covers(p)) {
                return r;
            }
        }
        throw new CallRefused("FORBIDDEN", "no topic rule covers " + p + ": pages may neither subscribe nor publish there");
    }

    private void allow(TopicAccess access, Page page, HttpServletRequest request, String topic, String what,
                       boolean publish) {
        if (access == null) {
            throw refused(what, topic, "the topic rule allows it to no page");
        }
        if (access == TopicAccess.subscribers()) {
            if (!publish || !subscriptions.has((LivePage) page, topic)) {
                throw refused(what, topic, "only pages subscribed to it may");
            }
        } else if (!access.allows(page, request, topic)) {
            throw refused(what, topic, "not allowed for this page");
        }
    }

    private static CallRefused refused(String what, String topic, String why) {
        return new CallRefused("FORBIDDEN", "cannot " + what + " " + topic + ": " + why);
    }

    private void ended(LivePage page) {
        for (TopicPattern p : subscriptions.removeAll(page)) {
            tell(l -> l.unsubscribed(page, p.toString()), page);
        }
    }

    private void tell(Consumer<TopicListener> event, Page page) {
        for (TopicListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                Incidents.log("a TopicListener for " + page, e);
            }
        }
    }

    /** A topic, by name. */
    private final class Handle<T> implements Topic<T> {
        private final String name;

        Handle(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void publish(T data) {
            push.publishTopic(name, null, clock.millis(), data, null);
        }

        @Override
        public void publishLatest(String key, T value) {
            if (key == null) {
                throw new IllegalArgumentException("publishLatest needs a key");
            }
            push.publishTopic(name, key, clock.millis(), value, null);
        }

        @Override
        public List<Page> subscribers() {
            Collection<LivePage> here = subscriptions.of(name);
            List<PageStore.Subscriber> stored = push.storedSubscribers(name);
            if (stored == null) {
                return List.copyOf(here);
            }
            Map<String, Page> all = new LinkedHashMap<>();
            here.forEach(page -> all.put(page.id(), page));
            for (PageStore.Subscriber s : stored) {
                all.putIfAbsent(s.pageId(), new StoredPage(s, push::endStored));
            }
            return List.copyOf(all.values());
        }
    }
}
