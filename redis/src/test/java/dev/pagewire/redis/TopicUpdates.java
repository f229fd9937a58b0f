package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The topic updates one page applied, as the engine applies them: each number once, above its
 * cursor, which it acknowledges with every poll (on whichever node the poll goes to); for a latest
 * value ({@code key} and {@code version}), {@code skipped} counted as the engine counts it, from
 * the last version of that topic and key the page applied.
 */
final class TopicUpdates {
    private final List<String> got = new ArrayList<>();
    private final List<Latest> latest = new ArrayList<>();
    private final Map<String, Long> versions = new HashMap<>(); // "topic key" -> last version applied
    private long cursor;

    /** A latest value as the engine hands it to the page's handler: {@code info.key}, {@code info.skipped}. */
    record Latest(String topic, String key, long version, long skipped, String data) {
    }

    /**
     * Polls through {@code page} (without holding) until the page has {@code n} topic updates in
     * all, each {@code "topic data"}; returns them all.
     */
    List<String> until(PageClient page, int n) {
        poll(page, n + " topic updates", () -> got.size() >= n);
        return List.copyOf(got);
    }

    /** Polls through {@code page}, applying and acknowledging, until {@code done} holds. */
    void poll(PageClient page, String what, BooleanSupplier done) {
        Wait.until(what + " on " + page.pageId(), 30, () -> {
            apply(pending(page));
            return done.getAsBoolean();
        });
    }

    /**
     * What a poll through {@code page} returns above the cursor, once it includes an update whose
     * data is {@code last}: the page applies nothing meanwhile, so it acknowledges nothing new.
     */
    List<JsonObject> pendingUntil(PageClient page, String last) {
        List<List<JsonObject>> reply = new ArrayList<>(List.of(List.of()));
        Wait.until("an update with data " + last + " on " + page.pageId(), 30, () -> {
            reply.set(0, pending(page));
            return reply.get(0).stream().anyMatch(u -> last.equals(u.get("data").getAsString()));
        });
        return reply.get(0);
    }

    /** The updates above the cursor in the reply to one poll through {@code page}. */
    private List<JsonObject> pending(PageClient page) {
        PageClient.Reply r = page.post("/poll", "{\"ack\":" + cursor + ",\"hold\":false}", page.pageHeaders());
        assertEquals(200, r.status(), r.body());
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : r.json().getAsJsonArray("updates")) {
            if (e.getAsJsonObject().get("seq").getAsLong() > cursor) {
                out.add(e.getAsJsonObject());
            }
        }
        return out;
    }

    /** Applies {@code updates}, in order, each above the cursor once; returns what they were. */
    List<String> apply(List<JsonObject> updates) {
        int from = got.size();
        for (JsonObject u : updates) {
            if (u.get("seq").getAsLong() <= cursor) {
                continue;
            }
            assertFalse(u.has("resync"), "no resync: " + u);
            cursor = u.get("seq").getAsLong();
            String topic = u.get("topic").getAsString();
            String data = u.get("data").getAsString();
            got.add(topic + " " + data);
            if (u.has("key")) {
                String key = u.get("key").getAsString();
                long version = u.get("version").getAsLong();
                Long last = versions.put(topic + " " + key, version);
                latest.add(new Latest(topic, key, version, last == null ? 0 : Math.max(0, version - last - 1), data));
            }
        }
        return List.copyOf(got.subList(from, got.size()));
    }

    /** The latest values applied, in order. */
    List<Latest> latest() {
        return List.copyOf(latest);
    }
}
