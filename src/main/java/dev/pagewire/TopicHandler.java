package dev.pagewire;

/**
 * Receives what pages publish on a service topic ({@link TopicRule#service}): the data reaches
 * this handler alone, never another page. It runs on the request thread of the page's publish,
 * inside the call's filters; an exception it throws fails the page's publish as a remote method's
 * would (client-visible ones as {@code EXCEPTION}, others as {@code INTERNAL}).
 *
 * @param <T> the type the page's data converts to, strictly, as a remote method's argument
 */
@FunctionalInterface
public interface TopicHandler<T> {
    /** A page published {@code data} on the topic {@code topic}. */
    void received(Page page, String topic, T data) throws Exception;
}
