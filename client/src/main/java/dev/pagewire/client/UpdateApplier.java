package dev.pagewire.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The client's update thread: applies updates to a page in {@code seq} order, each number once,
 * runs the exposed {@link PushHandler}s and tells the {@link ClientListener}.
 *
 * <p>Threading: one thread, {@code pagewire-client-N-updates}, runs every handler and listener
 * method of one client, one at a time, in the order they were handed over. Any thread hands
 * work over (the delivery thread its polls' and stream's updates, the HTTP threads the updates
 * riding on call replies) and gets a future that completes once the work ran. Updates that
 * arrive twice (a reply lost on a cut connection is sent again) are dropped by their number:
 * the page's cursor moves on this thread only, before the handler runs, so a handler's own
 * requests acknowledge its update.
 */
final class UpdateApplier implements AutoCloseable {
    private final ExecutorService thread;
    private final ClientListener listener;
    private final Map<String, PushHandler> handlers = new ConcurrentHashMap<>();
    private final Topics topics;
    private boolean linkUp = true; // on the update thread only: connected/disconnected fire once per change

    UpdateApplier(ClientListener listener, Topics topics, int clientNumber) {
        this.listener = listener;
        this.topics = topics;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "pagewire-client-" + clientNumber + "-updates");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code handler} for pushed calls of {@code function} (replacing any before). */
    void expose(String function, PushHandler handler) {
        handlers.put(function, handler);
    }

    /**
     * Applies what a call or poll reply of {@code from} brought: its {@code updates}, then its
     * {@code upTo}. The future completes when they were applied.
     */
    CompletableFuture<Void> deliver(Page from, JsonObject reply) {
        JsonElement updates = reply.get("updates");
        JsonElement upTo = reply.get("upTo");
        if ((updates == null || !updates.isJsonArray() || updates.getAsJsonArray().isEmpty()) && upTo == null) {
            return CompletableFuture.completedFuture(null);
        }
        return run(() -> {
            if (updates != null && updates.isJsonArray()) {
                applyAll(from, updates.getAsJsonArray());
            }
            advance(from, upTo);
        });
    }

    /** Applies one update of {@code from} (an SSE event); completes when it was applied. */
    CompletableFuture<Void> deliverOne(Page from, JsonElement update) {
        return run(() -> applyAll(from, singleton(update)));
    }

    /** An SSE heartbeat's {@code upTo}: moves the cursor of {@code from}. */
    CompletableFuture<Void> advanceTo(Page from, JsonElement upTo) {
        return run(() -> advance(from, upTo));
    }

    /** A page was made: if it replaces a lost one, its topic subscriptions again, then {@code resync}. */
    void pageStarted(Page page, boolean replacesLost) {
        run(() -> {
            if (replacesLost) {
                topics.resubscribe();
                listener.resync(page.id, "lost");
            }
        });
    }

    /** Delivery of {@code page} in {@code mode} reached the server: {@code connected} after a handshake or a loss. */
    void connected(Page page, DeliveryMode mode, boolean newPage) {
        run(() -> {
            if (newPage || !linkUp) {
                linkUp = true;
                listener.connected(page.id, mode);
            }
        });
    }

    /** Delivery lost the server: {@code disconnected}, once until it is back. */
    void disconnected(Page page, String code) {
        run(() -> {
            if (linkUp) {
                linkUp = false;
                listener.disconnected(page.id, code);
            }
        });
    }

    /** Reports a problem nobody else hears about. */
    void problem(PagewireCallException problem) {
        run(() -> listener.problem(problem));
    }

    /** Stops the update thread; work handed over after this is dropped. */
    @Override
    public void close() {
        thread.shutdownNow();
    }

    private CompletableFuture<Void> run(Runnable work) {
        try {
            return CompletableFuture.runAsync(() -> runReporting(work), thread);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private void runReporting(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            // a listener that threw: the client goes on
            System.getLogger(PagewireClient.class.getName()).log(System.Logger.Level.WARNING, "ClientListener failed", e);
        }
    }

    /** In array order, each number once: numbers at or below the cursor were applied already. */
    private void applyAll(Page from, JsonArray updates) {
        for (JsonElement element : updates) {
            long seq = sequenceOf(element);
            if (seq <= 0) {
                listener.problem(new PagewireCallException("UPDATE_FAILED", "malformed update: " + element));
            } else if (seq > from.cursor()) {
                from.advanceTo(seq); // first: a failed update counts as applied too
                apply(from, element.getAsJsonObject());
            }
        }
    }

    private void apply(Page from, JsonObject update) {
        String function = Page.string(update, "call");
        if (function != null) {
            JsonElement args = update.get("args");
            callExposed(function, args != null && args.isJsonArray() ? args.getAsJsonArray() : new JsonArray());
        } else if (topics.deliver(update, listener::problem)) {
            return; // a topic update, handed to its subscribers
        } else if (update.has("script")) {
            listener.problem(new PagewireCallException("SCRIPT_REFUSED", "a Java client never runs script updates"));
        } else if (update.has("resync") && update.get("resync").equals(new JsonPrimitive(true))) {
            listener.resync(from.id, "overflow");
        } else {
            listener.problem(new PagewireCallException("UPDATE_FAILED", "unknown kind of update: " + update));
        }
    }

    private void callExposed(String function, JsonArray args) {
        PushHandler handler = handlers.get(function);
        if (handler == null) {
            listener.problem(new PagewireCallException("UNKNOWN_FUNCTION", "no exposed function " + function));
            return;
        }
        try {
            handler.handle(new Arguments(args));
        } catch (Exception e) {
            listener.problem(new PagewireCallException("UPDATE_FAILED", function + " failed: " + e, null, null, e));
        }
    }

    /** Moves the cursor to {@code upTo} if it is a safe integer above it. */
    private static void advance(Page from, JsonElement upTo) {
        long number = safeInteger(upTo);
        if (number > 0) {
            from.advanceTo(number);
        }
    }

    private static long sequenceOf(JsonElement update) {
        return update != null && update.isJsonObject() ? safeInteger(update.getAsJsonObject().get("seq")) : -1;
    }

    /** A positive integer of at most 2^53 − 1, or -1. */
    static long safeInteger(JsonElement value) {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return -1;
        }
        try {
            long number = value.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            return number > 0 && number <= WireJson.MAX_SAFE_INTEGER ? number : -1;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static JsonArray singleton(JsonElement update) {
        JsonArray one = new JsonArray(1);
        one.add(update);
        return one;
    }
}
