package dev.pagewire.transport;

import dev.pagewire.push.UpdateQueue;
import dev.pagewire.push.UpdateQueue.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Updates on the wire: a JSON array for replies, Server-Sent Events, or WebSocket frames. Each update is
 * {@code {"seq":n,} + its shared fragment + {@code }}}; the fragment was encoded once per push.
 */
public final class UpdateFormat {
    private UpdateFormat() {
    }

    /** Appends {@code [{"seq":1,...},...]} to {@code out}. */
    public static void appendArray(List<Entry> updates, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < updates.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendUpdate(updates.get(i), out);
        }
        out.append(']');
    }

    static void appendUpdate(Entry e, StringBuilder out) {
        out.append("{\"seq\":").append(e.seq()).append(',').append(e.fragment()).append('}');
    }

    /**
     * {@code {"updates":[...]}}, {@code "upTo"} when the slice has one, plus extra members (such
     * as {@code ,"fallback":"polling"} or {@code ,"time":...}).
     */
    static byte[] pollReply(UpdateQueue.Slice pending, String extraMembers) {
        List<Entry> updates = pending.updates();
        StringBuilder out = new StringBuilder(32 + 64 * updates.size()).append("{\"updates\":");
        appendArray(updates, out);
        if (pending.upTo() > 0) {
            out.append(",\"upTo\":").append(pending.upTo());
        }
        return out.append(extraMembers).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A WebSocket frame: {@code {"type":"updates","updates":[...]}} (or {@code "hb"} and no
     * updates), with {@code "upTo"} when the slice has one.
     */
    static String socketFrame(String type, UpdateQueue.Slice pending) {
        List<Entry> updates = pending.updates();
        StringBuilder out = new StringBuilder(32 + 64 * updates.size()).append("{\"type\":\"").append(type).append('"');
        if (!updates.isEmpty()) {
            appendArray(updates, out.append(",\"updates\":"));
        }
        if (pending.upTo() > 0) {
            out.append(",\"upTo\":").append(pending.upTo());
        }
        return out.append('}').toString();
    }

    /** One SSE event per update: {@code id: n} and {@code data: <json>}. */
    static byte[] events(List<Entry> updates) {
        StringBuilder out = new StringBuilder(64 * updates.size());
        for (Entry e : updates) {
            // JSON from gson holds no raw newline, so one data line carries the whole update.
            out.append("id: ").append(e.seq()).append("\ndata: ");
            appendUpdate(e, out);
            out.append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
