package dev.pagewire.push;

import java.util.Collection;

/**
 * Keeps the topic subscriptions of this node's copies of pages in step with the page store
 * (several nodes, {@link dev.pagewire.spi.PageStore#subscription}): set by the topics, called by
 * the registry when it loads a copy and by the deliveries when a page's subscription changes on
 * any node. Neither call is a presence event.
 *
 * <p><b>Threading.</b> Both run under the delivery lock (a request thread loading a copy, or the
 * backend's delivery thread) and must not block.
 */
public interface CopyTopics {
    /** The copy {@code page}, loaded from the store, is subscribed to exactly {@code patterns}. */
    void restore(LivePage page, Collection<String> patterns);

    /** Page {@code page} subscribed to {@code pattern} ({@code subscribed}) or unsubscribed from it. */
    void changed(LivePage page, String pattern, boolean subscribed);
}
