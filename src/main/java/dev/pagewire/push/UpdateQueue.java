package dev.pagewire.push;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

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
 *
 * <p><b>A node's copy</b> ({@link #copy}): when pages live in a {@link dev.pagewire.spi.PageStore},
 * a node's queue for a page is a copy, numbered by the backend, loaded from the store and then
 * fed by the node's deliveries. Updates may arrive out of order while it loads (they are kept in
 * id order, each id once, and of a conflated topic key only the newest value); what the page
 * acknowledged or had before it was made never comes back (the floor). It knows up to which id
 * it is complete ({@link #upTo}), so replies can move the page's cursor. On overflow it does not
 * resync: it goes stale (emptied, its waiter closed) and is loaded again from the store, which
 * holds the truth, at the page's next request.
 */
public final class UpdateQueue {
    /** The fragment of a resync marker: {@code {"seq":n,"resync":true}}. */
    static final String RESYNC = "\"resync\":true";

    /**
     * An update: its number, its JSON members after {@code "seq"} (shared between pages) and, for
     * a conflated topic value, its key (a later value with that key replaces it while queued).
     */
    public record Entry(long seq, String fragment, String key) {
        /** An update that no later one replaces. */
        public Entry(long seq, String fragment) {
            this(seq, fragment, null);
        }
    }

    private final int maxCount;
    private final long maxChars;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>(3); // grows when needed; most queues hold a few
    private long lastSeq;
    private long acked;
    private long chars;
    private Waiter waiter;
    private boolean closed;
    // A node's copy only (horizon != null):
    private final LongSupplier horizon; // the id up to which the node has delivered every push
    private long floor;                 // ids up to here are had by the page: never queued again
    private long loadedUpTo;            // complete up to here from loads (the store's word)
    private boolean stale;              // overflowed: to be loaded again
    private long trimmed;               // dropped unacknowledged up to here (written by the stream)
    // For the figures: updates handed out again count as resends; the oldest is unacknowledged since
    private final LongAdder resends;
    private long handedOut;             // the highest number handed out by after()
    private long unackedSince;          // System.nanoTime() when the queue last became non-empty or
                                        // last lost entries to an ack; 0 while empty

    UpdateQueue(int maxCount, long maxChars) {
        this(maxCount, maxChars, null, new LongAdder());
    }

    /** A queue numbering its own updates; {@code resends} counts updates handed out again. */
    UpdateQueue(int maxCount, long maxChars, LongAdder resends) {
        this(maxCount, maxChars, null, resends);
    }

    private UpdateQueue(int maxCount, long maxChars, LongSupplier horizon, LongAdder resends) {
        this.maxCount = maxCount;
        this.maxChars = maxChars;
        this.horizon = horizon;
        this.resends = resends;
    }

    /**
     * A node's copy of a page's queue, numbered by the backend.
     *
     * @param horizon the id up to which the node's deliveries have reached every copy
     */
    static UpdateQueue copy(int maxCount, long maxChars, LongSupplier horizon, LongAdder resends) {
        return new UpdateQueue(maxCount, maxChars, horizon, resends);
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
        return append(seq, fragment, null);
    }

    /**
     * Queues an update as {@link #append(long, String)} does; with a {@code key} (a conflated
     * topic value) it first drops the queued update with the same key, if any, so the queue holds
     * one value per key. A node's copy does so too, in id order: a value older than the queued
     * one of its key (from a load that overlaps the deliveries) is not queued.
     */
    public boolean append(long seq, String fragment, String key) {
        if (horizon != null) {
            insert(seq, fragment, key);
            return false;
        }
        Waiter w;
        boolean overflowed = false;
        synchronized (this) {
            if (closed || (seq != 0 && seq <= lastSeq)) {
                return false;
            }
            lastSeq = seq == 0 ? lastSeq + 1 : seq;
            markQueued();
            if (key != null) {
                replaceKey(key, lastSeq);
            }
            entries.addLast(new Entry(lastSeq, fragment, key));
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

    /**
     * A copy's append: in id order, each id once, nothing at or below the floor. Past the bounds
     * the copy goes stale and its waiter is closed (the page comes back and is loaded again).
     */
    private void insert(long seq, String fragment, String key) {
        Waiter w;
        boolean overflowed;
        synchronized (this) {
            if (closed || stale || seq <= floor || !add(seq, fragment, key)) {
                return;
            }
            overflowed = entries.size() > maxCount || chars > maxChars;
            if (overflowed && waiter != null && waiter.written() > floor) {
                // The page's acknowledgements go to other nodes: what its stream here has written
                // goes (a page that did not get it reconnects with an older cursor and loads again).
                trimmed = Math.max(trimmed, waiter.written());
                drop(trimmed);
                overflowed = entries.size() > maxCount || chars > maxChars;
            }
            if (overflowed) {
                goStale();
            }
            w = waiter;
            if (overflowed) {
                waiter = null;
            }
        }
        if (w != null) {
            if (overflowed) {
                w.close();
            } else {
                w.updatesAvailable(false);
            }
        }
    }

    /**
     * Adds in id order; false if that id is queued already, or a later value of its {@code key}
     * (whose earlier queued value goes).
     */
    private boolean add(long seq, String fragment, String key) {
        if (key != null && !replaceKey(key, seq)) {
            return false;
        }
        Entry e = new Entry(seq, fragment, key);
        markQueued();
        if (entries.isEmpty() || entries.peekLast().seq() < seq) {
            entries.addLast(e);
        } else {
            List<Entry> all = new ArrayList<>(entries);
            int i = 0;
            while (all.get(i).seq() < seq) {
                i++;
            }
            if (all.get(i).seq() == seq) {
                return false;
            }
            all.add(i, e);
            entries.clear();
            entries.addAll(all);
        }
        lastSeq = Math.max(lastSeq, seq);
        chars += fragment.length();
        return true;
    }

    private void goStale() {
        stale = true;
        entries.clear();
        chars = 0;
        unackedSince = 0;
    }

    /** Before an entry is added: an empty queue starts its ack lag now. */
    private void markQueued() {
        if (entries.isEmpty()) {
            unackedSince = System.nanoTime();
        }
    }

    /** After entries were acknowledged or dropped: the lag starts again (or ends, when empty). */
    private void markRemoved() {
        unackedSince = entries.isEmpty() ? 0 : System.nanoTime();
    }

    /**
     * A copy's updates from the store: every update for the page after {@code after} (what the
     * page has: the floor) up to {@code upTo}, merged with what deliveries brought meanwhile.
     * Clears staleness.
     */
    synchronized void load(long after, List<Entry> updates, long upTo) {
        stale = false;
        raiseFloor(after);
        for (Entry e : updates) {
            if (e.seq() > floor) {
                add(e.seq(), e.fragment(), e.key());
            }
        }
        loadedUpTo = Math.max(loadedUpTo, upTo);
    }

    /** Makes a copy stale: it is loaded again from the store at the page's next request. */
    void markStale() {
        Waiter w;
        synchronized (this) {
            if (closed || horizon == null) {
                return;
            }
            goStale();
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            w.close();
        }
    }

    /** Reopens a stale copy before it is loaded again: deliveries are kept from now on. */
    synchronized void reopen(long after) {
        stale = false;
        trimmed = 0;
        entries.clear();
        chars = 0;
        unackedSince = 0;
        raiseFloor(after);
    }

    /**
     * Whether this copy must be loaded again before it serves a page whose cursor is {@code
     * after}: it is stale, or it dropped updates above that cursor which its stream had written.
     */
    public synchronized boolean mustLoad(long after) {
        return stale || after < trimmed;
    }

    private void raiseFloor(long seq) {
        if (seq <= floor) {
            return;
        }
        floor = seq;
        drop(seq);
    }

    /**
     * Makes room for the value of {@code key} numbered {@code seq}: drops the queued value of that
     * key if it is older (at most one is queued); false if it is this one or a newer one.
     */
    private boolean replaceKey(String key, long seq) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (key.equals(e.key())) {
                if (e.seq() >= seq) {
                    return false;
                }
                chars -= e.fragment().length();
                it.remove();
                return true;
            }
        }
        return true;
    }

    /** Drops the entries numbered up to {@code seq}. */
    private void drop(long seq) {
        boolean removed = false;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.seq() > seq) {
                break;
            }
            chars -= e.fragment().length();
            it.remove();
            removed = true;
        }
        if (removed) {
            markRemoved();
        }
    }

    /**
     * What a reply carries: the updates above {@code seq}, and for a copy {@code upTo}, the id up
     * to which the page has every update meant for it once it applied them (0: claim nothing, as
     * for a queue that numbers its own updates).
     */
    public record Slice(List<Entry> updates, long upTo) {
    }

    /** The queued updates above {@code seq}, with the cursor they complete (see {@link Slice}). */
    public Slice pending(long seq) {
        if (horizon == null) {
            return new Slice(after(seq), 0);
        }
        long h = horizon.getAsLong(); // first: every update up to it is queued by now
        synchronized (this) {
            return new Slice(after(seq), stale || closed ? 0 : Math.max(h, loadedUpTo));
        }
    }

    private void resync(long seq) {
        markQueued();
        entries.clear();
        lastSeq = seq;
        entries.addLast(new Entry(seq, RESYNC));
        chars = RESYNC.length();
    }

    /** Drops every update numbered {@code seq} or lower: the page applied them. */
    public synchronized void ack(long seq) {
        if (horizon != null) {
            acked = Math.max(acked, seq);
            raiseFloor(seq);
            return;
        }
        long upTo = Math.min(seq, lastSeq); // a page cannot acknowledge what was never sent
        if (upTo <= acked) {
            return;
        }
        acked = upTo;
        drop(upTo);
    }

    /**
     * Copies of the queued updates numbered above {@code seq}, in order, to be written to the
     * page: those handed out before count as resends.
     */
    public synchronized List<Entry> after(long seq) {
        if (lastSeq <= seq) {
            return List.of();
        }
        // From the newest back: a writer asks for what it has not written, usually the last few of
        // many updates waiting for their acknowledgement.
        int count = 0;
        int again = 0;
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); count++) {
            long s = it.next().seq();
            if (s <= seq) {
                break;
            }
            again += s <= handedOut ? 1 : 0;
        }
        Entry[] out = new Entry[count];
        Iterator<Entry> it = entries.descendingIterator();
        for (int i = count - 1; i >= 0; i--) {
            out[i] = it.next();
        }
        if (again > 0) {
            resends.add(again);
        }
        if (count > 0) {
            handedOut = Math.max(handedOut, out[count - 1].seq());
        }
        return Arrays.asList(out);
    }

    /**
     * {@link System#nanoTime()} since when the oldest queued update waits for an acknowledgement:
     * since the queue last became non-empty or last had updates acknowledged; 0 while empty.
     */
    public synchronized long unackedSince() {
        return unackedSince;
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
            unackedSince = 0;
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            w.close();
        }
    }
}
