package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Wait;
import java.util.ArrayList;
import java.util.List;

/**
 * The topic updates one page applied, as the engine applies them: each number once, above its
 * cursor, which it acknowledges with every poll (on whichever node the poll goes to).
 */
final class TopicUpdates {
    private final List<String> got = new ArrayList<>();
    private long cursor;

    /**
     * Polls through {@code page} (without holding) until the page has {@code n} topic updates in
     * all, each {@code "topic data"}; returns them all.
     */
    List<String> until(PageClient page, int n) {
        Wait.until(n + " topic updates on " + page.pageId(), 30, () -> {
            PageClient.Reply r = page.post("/poll", "{\"ack\":" + cursor + ",\"hold\":false}", page.pageHeaders());
            assertEquals(200, r.status(), r.body());
            for (JsonElement e : r.json().getAsJsonArray("updates")) {
                JsonObject u = e.getAsJsonObject();
                if (u.get("seq").getAsLong() > cursor) {
                    assertFalse(u.has("resync"), "no resync: " + u);
                    cursor = u.get("seq").getAsLong();
                    got.add(u.get("topic").getAsString() + " " + u.get("data").getAsString());
                }
            }
            return got.size() >= n;
        });
        return List.copyOf(got);
    }
}
