package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A page as the engine keeps it, over a {@link PageClient}: it applies {@code ui.show} updates in
 * sequence order, each once (a duplicate after a reconnect is dropped, a gap fails the test), and
 * remembers the first argument of each. What it applied is the test's verdict.
 *
 * <p>Not thread-safe: one test thread reads and applies; other threads may only push.
 */
public final class EnginePage {
    private final PageClient client;
    private final List<Integer> applied = new ArrayList<>();
    private long lastApplied;

    /** A page of the server on {@code port} at {@code path}, handshaken. */
    public EnginePage(int port, String path) {
        client = new PageClient(port);
        client.handshake(path);
    }

    /** The page's HTTP client, for its session and requests of its own. */
    public PageClient client() {
        return client;
    }

    /** The first argument of every update applied, in order. */
    public List<Integer> applied() {
        return applied;
    }

    /** The sequence number of the last update applied: what the page acknowledges. */
    public long lastApplied() {
        return lastApplied;
    }

    /** Applies each of {@code updates}, as a reply or a stream brings them. */
    public void apply(Iterable<JsonElement> updates) {
        for (JsonElement e : updates) {
            apply(e.getAsJsonObject());
        }
    }

    /** Applies one update unless it was applied before; a gap in the sequence fails the test. */
    public void apply(JsonObject update) {
        long seq = update.get("seq").getAsLong();
        if (seq <= lastApplied) {
            return; // a duplicate after a reconnect
        }
        assertEquals(lastApplied + 1, seq, "a gap: an update was lost");
        assertEquals("ui.show", update.get("call").getAsString());
        applied.add(update.getAsJsonArray("args").get(0).getAsInt());
        lastApplied = seq;
    }

    /** A poll ({@code hold}: a Comet poll) acknowledging what was applied; its reply must be 200. */
    public JsonObject poll(boolean hold) {
        PageClient.Reply r = client.post("/poll", "{\"ack\":" + lastApplied + ",\"hold\":" + hold + "}",
                client.pageHeaders());
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Headers for a {@link RawHttp} request of this page: cookie, session, token, JSON. */
    public Map<String, String> rawHeaders() {
        return Map.of("Cookie", client.cookieHeader(), "Pagewire-Page", client.pageId(),
                "Pagewire-Token", client.token(), "Content-Type", "application/json");
    }

    /** The path of this page's event stream, without an acknowledgement. */
    public String streamPath() {
        return "/pagewire/stream?page=" + client.pageId() + "&token=" + client.token();
    }

    /**
     * Reads {@code stream}'s events until {@code count} more updates were applied; returns false if
     * the stream ended first.
     */
    public boolean readEvents(RawHttp stream, int count) throws IOException {
        int target = applied.size() + count;
        while (applied.size() < target) {
            String line = stream.readBodyLine();
            if (line == null) {
                return false;
            }
            if (line.startsWith("data: {\"seq\"")) { // an update, not a heartbeat
                apply(JsonParser.parseString(line.substring(6)).getAsJsonObject());
            }
        }
        return true;
    }
}
