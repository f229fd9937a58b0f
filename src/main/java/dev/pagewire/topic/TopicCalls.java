package dev.pagewire.topic;

import dev.pagewire.Page;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What pages ask of topics, exposed as the proxy {@value #PROXY} when the application declares
 * topic rules: ordinary remote methods, so every subscribe and publish passes the checks of a
 * call (origin, page token, HTTP session, call filters, batch limits) in every delivery mode.
 * The engine's {@code pagewire.subscribe} and {@code pagewire.publish} call them.
 *
 * <p><b>Threading.</b> Runs on the call's thread (a request thread, or the socket's frame
 * thread); the hub is thread-safe.
 */
public final class TopicCalls {
    /** The proxy name the engine calls. */
    public static final String PROXY = "PagewireTopics";

    private final TopicHub hub;

    /** Serves {@code hub}'s topics to pages. */
    public TopicCalls(TopicHub hub) {
        this.hub = hub;
    }

    /** Subscribes the calling page to {@code pattern}, if a rule allows it. */
    public void subscribe(String pattern, Page page, HttpServletRequest request) {
        hub.subscribe(page, request, pattern);
    }

    /** Ends the calling page's subscription to {@code pattern}; nothing if it had none. */
    public void unsubscribe(String pattern, Page page) {
        hub.unsubscribe(page, pattern);
    }

    /** Publishes {@code data} (JSON text) on {@code topic} for the calling page, if a rule allows it. */
    public void publish(String topic, String data, Page page, HttpServletRequest request) throws Exception {
        hub.publishFromPage(page, request, topic, data);
    }
}
