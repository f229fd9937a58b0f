package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The client's topic subscriptions, by pattern, as the engine keeps them: the first handler of a
 * pattern subscribes the page ({@code PagewireTopics.subscribe}), the last one to leave
 * unsubscribes it, and a new page that replaces a lost one subscribes to every pattern again. A
 * topic update goes to every handler whose pattern matches its topic; for a latest-value topic
 * the handler is told how many versions it never received.
 *
 * <p>Threading: subscribing and unsubscribing from any thread (the map is concurrent);
 * {@link #deliver} and {@link #resubscribe} run on the update thread, which alone touches the
 * versions seen.
 */
final class Topics {
    /** The server's proxy of topic calls. */
    static final String PROXY = "PagewireTopics";

    private final BiFunction<String, Object[], CompletableFuture<JsonElement>> call; // (method, args) of PagewireTopics
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new HashMap<>(); // "topic key" -> last version seen; update thread only

    Topics(BiFunction<String, Object[], CompletableFuture<JsonElement>> call) {
        this.call = call;
    }

    /** One pattern's handlers and the server's answer to its last subscribe. */
    private static final class Pattern {
        final List<Registered<?>> handlers = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> ready;
    }

    /** A handler with the type its data converts to. */
    private record Registered<T>(Class<T> type, TopicHandler<T> handler) {
        void handle(JsonElement data, TopicInfo info) throws Exception {
            handler.handle(WireJson.read(data, type), info);
        }
    }

    /** Adds {@code handler} for {@code pattern}, subscribing the page if it is the pattern's first. */
    <T> Subscription subscribe(String pattern, Class<T> type, TopicHandler<T> handler) {
        Registered<T> mine = new Registered<>(type, handler);
        Pattern entry;
        synchronized (patterns) {
            entry = patterns.get(pattern);
            if (entry == null) {
                entry = new Pattern();
                patterns.put(pattern, entry);
                send(pattern, entry);
            }
            entry.handlers.add(mine);
        }
        return new Subscription(pattern, entry.ready, () -> drop(pattern, mine));
    }

    /** {@code PagewireTopics.publish(topic, data as JSON text)}; completes when the server queued it. */
    CompletableFuture<Void> publish(String topic, Object data) {
        return call.apply("publish", new Object[] {topic, WireJson.write(data).toString()}).thenApply(ignored -> null);
    }

    /** A new page replaced a lost one: the server knows none of the subscriptions there. */
    void resubscribe() {
        synchronized (patterns) {
            patterns.forEach(this::send);
        }
    }

    /** A topic update: to every handler whose pattern matches; false when it is not one. */
    boolean deliver(JsonObject update, Consumer<PagewireCallException> problems) {
        String topic = Page.string(update, "topic");
        if (topic == null) {
            return false;
        }
        TopicInfo info = infoOf(topic, update);
        JsonElement data = update.get("data");
        for (Map.Entry<String, Pattern> entry : patterns.entrySet()) {
            if (!matches(entry.getKey(), topic)) {
                continue;
            }
            for (Registered<?> handler : entry.getValue().handlers) {
                try {
                    handler.handle(data == null ? JsonNull.INSTANCE : data, info);
                } catch (Exception e) {
                    problems.accept(new PagewireCallException("UPDATE_FAILED", "handler of " + entry.getKey() + " failed: " + e, null, null, e));
                }
            }
        }
        return true;
    }

    private TopicInfo infoOf(String topic, JsonObject update) {
        String key = Page.string(update, "key");
        long version = UpdateApplier.safeInteger(update.get("version"));
        if (key == null || version < 0) {
            return new TopicInfo(topic, null, 0);
        }
        Long last = versions.put(topic + " " + key, version);
        return new TopicInfo(topic, key, last == null ? 0 : Math.max(0, version - last - 1));
    }

    /** Asks the server for {@code pattern}; a refusal ends the pattern with every handler. */
    private void send(String pattern, Pattern entry) {
        CompletableFuture<Void> ready = call.apply("subscribe", new Object[] {pattern}).thenApply(ignored -> null);
        entry.ready = ready;
        ready.whenComplete((ok, refused) -> {
            if (refused != null) {
                patterns.remove(pattern, entry);
            }
        });
    }

    private void drop(String pattern, Registered<?> handler) {
        synchronized (patterns) {
            Pattern entry = patterns.get(pattern);
            if (entry == null || !entry.handlers.remove(handler) || !entry.handlers.isEmpty()) {
                return;
            }
            patterns.remove(pattern);
        }
        call.apply("unsubscribe", new Object[] {pattern}); // a failure leaves updates nobody wants: dropped
    }

    /**
     * Whether the topic {@code name} is one {@code pattern} means: {@code *} is one segment, a
     * last {@code **} any depth (at least one segment). Mirrors the server's {@code TopicPattern}.
     */
    static boolean matches(String pattern, String name) {
        String[] want = pattern.split("/", -1);
        String[] got = name.split("/", -1);
        for (int i = 1; i < want.length; i++) {
            if (want[i].equals("**")) {
                return got.length > i;
            }
            if (i >= got.length || (!want[i].equals("*") && !want[i].equals(got[i]))) {
                return false;
            }
        }
        return want.length == got.length;
    }
}
