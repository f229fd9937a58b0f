package dev.pagewire.push;

import dev.pagewire.web.Refusal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A page's latest numbered call batches ({@code POST call} with {@code "batch": n}) and their
 * replies, so that a batch that reaches the server twice runs once. Browsers resend a request,
 * POSTs included, when a reused keep-alive connection fails before the first byte of its reply;
 * a batch cut off while it ran arrives again on a new connection, and is answered from here.
 *
 * <p>Keeps the last {@value #KEPT} batches, and their replies up to {@value #KEPT_CHARS}
 * characters in all (the oldest replies are forgotten first). A batch seen again whose reply was
 * forgotten, or one older than every batch kept, is refused with {@code 409 BATCH_REPEATED}: its
 * calls fail clearly instead of running twice. Numbers are the page's own; a page's batches
 * reach one server node (another node's copy of the page knows nothing of them).
 *
 * <p>Thread-safe: every method synchronizes on this object, briefly (no callback runs under the
 * lock).
 */
public final class RecentBatches {
    /** How many batches are remembered. */
    public static final int KEPT = 16;
    /** How many characters of replies are kept, over all remembered batches. */
    public static final int KEPT_CHARS = 256 * 1024;

    private final Map<Long, Entry> entries = new LinkedHashMap<>();
    private long forgottenUpTo = -1; // every batch number at most this one is forgotten
    private long keptChars;

    private static final class Entry {
        String replies;                 // the reply's "replies" member once answered; null while running
        boolean forgotten;              // answered, and the reply dropped to bound memory
        List<Consumer<String>> waiting; // requests that repeated the batch while it ran
    }

    /**
     * What {@link #claim} found.
     *
     * @param fresh   the batch is new: the claiming request runs it, then calls {@link #answered}
     * @param replies the batch's replies, when it was answered already; null otherwise
     */
    public record Claim(boolean fresh, String replies) {
        /** The batch is running for an earlier request: wait with {@link #whenAnswered}. */
        public boolean running() {
            return !fresh && replies == null;
        }
    }

    /**
     * Claims batch {@code number} for the request that brought it.
     *
     * @throws Refusal {@code 409 BATCH_REPEATED} for a batch seen before whose reply is no longer kept
     */
    public synchronized Claim claim(long number) {
        Entry e = entries.get(number);
        if (e == null && number > forgottenUpTo) {
            entries.put(number, new Entry());
            trim();
            return new Claim(true, null);
        }
        if (e == null || e.forgotten) {
            throw new Refusal(409, "BATCH_REPEATED", "batch " + number
                    + " reached the server before and its reply is no longer kept; its calls are not run again");
        }
        return new Claim(false, e.replies);
    }

    /**
     * Gives {@code repeat} the replies of batch {@code number}: now if it was answered, else when
     * it is; null if they are no longer kept.
     */
    public void whenAnswered(long number, Consumer<String> repeat) {
        String done;
        synchronized (this) {
            Entry e = entries.get(number);
            if (e != null && e.replies == null && !e.forgotten) {
                if (e.waiting == null) {
                    e.waiting = new ArrayList<>(1);
                }
                e.waiting.add(repeat);
                return;
            }
            done = e == null ? null : e.replies;
        }
        repeat.accept(done);
    }

    /** How many requests wait for batch {@code number}'s replies (for tests and monitoring). */
    public synchronized int repeatsWaiting(long number) {
        Entry e = entries.get(number);
        return e == null || e.waiting == null ? 0 : e.waiting.size();
    }

    /** Batch {@code number} was answered with {@code replies}; the requests that repeated it get them too. */
    public void answered(long number, String replies) {
        List<Consumer<String>> waiting;
        synchronized (this) {
            Entry e = entries.get(number);
            if (e == null) {
                return; // never claimed, or dropped meanwhile
            }
            e.replies = replies;
            keptChars += replies.length();
            waiting = e.waiting;
            e.waiting = null;
            trim();
        }
        if (waiting != null) {
            waiting.forEach(w -> w.accept(replies));
        }
    }

    /** Drops the oldest batches past {@link #KEPT}, then the oldest replies past {@link #KEPT_CHARS}. */
    private void trim() {
        Iterator<Map.Entry<Long, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > KEPT && it.hasNext()) {
            Map.Entry<Long, Entry> oldest = it.next();
            if (oldest.getValue().replies == null && !oldest.getValue().forgotten) {
                continue; // still running: kept, so its repeats can wait for it
            }
            forgottenUpTo = Math.max(forgottenUpTo, oldest.getKey());
            drop(oldest.getValue());
            it.remove();
        }
        for (Entry e : entries.values()) {
            if (keptChars <= KEPT_CHARS) {
                break;
            }
            if (e.replies != null) {
                drop(e);
                e.forgotten = true;
            }
        }
    }

    private void drop(Entry e) {
        if (e.replies != null) {
            keptChars -= e.replies.length();
            e.replies = null;
        }
    }
}
