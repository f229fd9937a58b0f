package dev.pagewire.push;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One page's updates, numbered 1, 2, 3, ... and kept until the page acknowledges them.
 *
 * <p><b>Delivery guarantee.</b> An update leaves the queue only through {@link #ack}: a reply or
 * stream write that fails loses nothing, and the page gets the update again with its next request.
 * When the queue would pass its bounds (count or encoded size) it drops every queued update and
 * queues a single resync marker in their place, so the page learns it missed something and never
 * sees a silent gap.
 *
 * <p><b>Threading.</b> Every method is thread-safe; state changes happen under this object's
 * monitor, which is held only for in-memory work. {@link #append} hands the change to the
 * page's {@link Waiter} after releasing the monitor, and the waiter reads the queue again
 * (under the monitor) when it writes: so an update appended while a poll is completing is either
 * in that poll's reply or stays queued for the next request. Never both lost and acknowledged.
 */
public final class UpdateQueue {
    /** The fragment of a resync marker: {@code {"seq":n,"resync":true}}. */
    static final String RESYNC = "\"resync\":true";

    /** An update: its number and its JSON members after {@code "seq"} (shared between pages). */
    public record Entry(long seq, String fragment) {
    }

    private final int maxCount;
    private final long maxChars;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>(3); // grows when needed; most queues hold a few
    private long lastSeq;
    private long acked;
    private long chars;
    private Waiter waiter;
    private boolean closed;

    UpdateQueue(int maxCount, long maxChars) {
        this.maxCount = maxCount;
        this.maxChars = maxChars;
    }

    /**
     * Queues an update and wakes the waiter.
     *
     * @return {@code true} if the queue overflowed and now holds only a resync marker
     */
    public boolean append(String fragment) {
        return append(0, fragment);
    }

    /**
     * Queues an update under a number a {@linkplain dev.pagewire.spi.PushBackend backend} gave it
     * (0: the next of this queue), and wakes the waiter. A number not above the last one is an
     * update this queue has had already: ignored.
     *
     * @return {@code true} if the queue overflowed and now holds only a resync marker (with the
     *         backend's number, or the next of this queue)
     */
    public boolean append(long seq, String fragment) {
        Waiter w;
        boolean overflowed = false;
        synchronized (this) {
            if (closed || (seq != 0 && seq <= lastSeq)) {
                return false;
            }
            lastSeq = seq == 0 ? lastSeq + 1 : seq;
            entries.addLast(new Entry(lastSeq, fragment));
            chars += fragment.length();
            if (entries.size() > maxCount || chars > maxChars) {
                resync(seq == 0 ? lastSeq + 1 : seq);
                overflowed = true;
            }
            w = waiter;
        }
        if (w != null) {
            w.updatesAvailable(overflowed);
        }
        return overflowed;
    }

    /**
     * Replaces every queued update by a resync marker numbered {@code seq} (a backend missed
     * updates), and wakes the waiter. Ignored unless {@code seq} is above the last number.
     */
    public void resyncAt(long seq) {
        Waiter w;
        synchronized (this) {
            if (closed || seq <= lastSeq) {
                return;
            }
            resync(seq);
            w = waiter;
        }
        if (w != null) {
            w.updatesAvailable(true);
        }
    }

    private void resync(long seq) {
        entries.clear();
        lastSeq = seq;
        entries.addLast(new Entry(seq, RESYNC));
        chars = RESYNC.length();
    }

    /** Drops every update numbered {@code seq} or lower: the page applied them. */
    public synchronized void ack(long seq) {
        long upTo = Math.min(seq, lastSeq); // a page cannot acknowledge what was never sent
        if (upTo <= acked) {
            return;
        }
        acked = upTo;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq() > upTo) {
                break;
            }
            chars -= e.fragment().length();
            it.remove();
        }
    }

    /** Copies of the queued updates numbered above {@code seq}, in order. */
    public synchronized List<Entry> after(long seq) {
        if (lastSeq <= seq) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }

    /** Whether an update numbered above {@code seq} is queued. */
    public synchronized boolean hasAfter(long seq) {
        return !entries.isEmpty() && entries.peekLast().seq() > seq;
    }

    /** Makes {@code next} the waiter and returns the one it replaced (to be closed by the caller). */
    public Waiter replaceWaiter(Waiter next) {
        synchronized (this) {
            Waiter previous = waiter;
            waiter = closed ? null : next;
            return previous;
        }
    }

    /** Removes {@code w} if it is still the waiter. */
    public synchronized void removeWaiter(Waiter w) {
        if (waiter == w) {
            waiter = null;
        }
    }

    /** The current waiter, or {@code null}. */
    public synchronized Waiter waiter() {
        return waiter;
    }

    /** Number of queued (unacknowledged) updates. */
    public synchronized int depth() {
        return entries.size();
    }

    /** The highest number the page acknowledged. */
    synchronized long acked() {
        return acked;
    }

    /** The highest number given to an update so far. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Ends the queue with its page: drops the updates and closes the waiter. */
    void close() {
        Waiter w;
        synchronized (this) {
            closed = true;
            entries.clear();
            chars = 0;
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            w.close();
        }
    }
}
