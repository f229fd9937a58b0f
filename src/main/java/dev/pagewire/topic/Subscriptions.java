package dev.pagewire.topic;

import dev.pagewire.push.LivePage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Which pages of this node subscribed to which patterns. Patterns without wildcards are found by
 * one lookup of the published name, so publishing to a topic nobody subscribed to costs a map
 * lookup plus a match per wildcard pattern in use, whatever the number of topics.
 *
 * <p><b>Threading.</b> Changes (subscribe, unsubscribe, a page's end) are serialised by this
 * object's monitor; {@link #of} and {@link #forEach} read the concurrent maps without it, from
 * any publishing thread, and see each subscription made before they began. A page that ended is never
 * subscribed: {@link #add} checks validity under the monitor, and {@link #removeAll} runs under
 * it after the page became invalid.
 */
final class Subscriptions {
    private final Map<String, Set<LivePage>> exact = new ConcurrentHashMap<>();
    private final Map<TopicPattern, Set<LivePage>> wild = new ConcurrentHashMap<>();
    private final Map<LivePage, Set<TopicPattern>> byPage = new ConcurrentHashMap<>();

    /** Subscribes; false if the page had that subscription already or has ended. */
    synchronized boolean add(LivePage page, TopicPattern pattern) {
        if (!page.isValid() || !byPage.computeIfAbsent(page, p -> new LinkedHashSet<>()).add(pattern)) {
            return false;
        }
        pagesOf(pattern, true).add(page);
        return true;
    }

    /** Unsubscribes; false if the page had no such subscription. */
    synchronized boolean remove(LivePage page, TopicPattern pattern) {
        Set<TopicPattern> mine = byPage.get(page);
        if (mine == null || !mine.remove(pattern)) {
            return false;
        }
        if (mine.isEmpty()) {
            byPage.remove(page);
        }
        drop(page, pattern);
        return true;
    }

    /** Makes {@code patterns} exactly the subscriptions of {@code page} (a copy loaded from the store). */
    synchronized void restore(LivePage page, Collection<TopicPattern> patterns) {
        Set<TopicPattern> mine = byPage.get(page);
        for (TopicPattern old : mine == null ? List.<TopicPattern>of() : List.copyOf(mine)) {
            if (!patterns.contains(old)) {
                remove(page, old);
            }
        }
        for (TopicPattern pattern : patterns) {
            add(page, pattern);
        }
    }

    /** Whether {@code page} is subscribed by a pattern matching the topic {@code name}. */
    synchronized boolean has(LivePage page, String name) {
        Set<TopicPattern> mine = byPage.get(page);
        return mine != null && mine.stream().anyMatch(p -> p.matches(name));
    }

    /** Ends every subscription of {@code page}, returning the patterns it had. */
    synchronized List<TopicPattern> removeAll(LivePage page) {
        Set<TopicPattern> mine = byPage.remove(page);
        if (mine == null) {
            return List.of();
        }
        for (TopicPattern pattern : mine) {
            drop(page, pattern);
        }
        return List.copyOf(mine);
    }

    private void drop(LivePage page, TopicPattern pattern) {
        Set<LivePage> pages = pagesOf(pattern, false);
        pages.remove(page);
        if (pages.isEmpty()) {
            if (pattern.wild()) {
                wild.remove(pattern);
            } else {
                exact.remove(pattern.toString());
            }
        }
    }

    private Set<LivePage> pagesOf(TopicPattern pattern, boolean create) {
        if (pattern.wild()) {
            return create ? wild.computeIfAbsent(pattern, p -> ConcurrentHashMap.newKeySet()) : wild.get(pattern);
        }
        return create ? exact.computeIfAbsent(pattern.toString(), p -> ConcurrentHashMap.newKeySet())
                : exact.get(pattern.toString());
    }

    /**
     * The pages subscribed by some pattern matching the topic {@code name}, each once. A page
     * found ended without having told us (a node's copy forgotten when its page lives on) loses
     * its subscriptions here.
     */
    List<LivePage> of(String name) {
        List<LivePage> out = new ArrayList<>();
        forEach(name, out::add);
        return out;
    }

    /**
     * Gives {@code each} the pages subscribed by some pattern matching the topic {@code name},
     * each once, in one pass (a publish to many pages walks them once); as {@link #of}, a page
     * found ended loses its subscriptions, after the pass.
     */
    void forEach(String name, Consumer<LivePage> each) {
        List<LivePage> ended = null;
        for (LivePage page : matching(name)) {
            if (page.isValid()) {
                each.accept(page);
            } else {
                ended = ended == null ? new ArrayList<>() : ended;
                ended.add(page);
            }
        }
        if (ended != null) {
            ended.forEach(this::removeAll);
        }
    }

    private Collection<LivePage> matching(String name) {
        Set<LivePage> direct = exact.get(name);
        Collection<LivePage> out = direct == null ? List.of() : direct;
        Set<LivePage> merged = null;
        for (Map.Entry<TopicPattern, Set<LivePage>> e : wild.entrySet()) {
            if (e.getKey().matches(name)) {
                if (merged == null) {
                    merged = new LinkedHashSet<>(out);
                }
                merged.addAll(e.getValue());
            }
        }
        return merged != null ? merged : out;
    }
}
