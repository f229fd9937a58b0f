package dev.pagewire;

/**
 * Thrown by a {@link TopicListener#publishing} listener to refuse what a page publishes: nothing
 * reaches the subscribers (or the service handler), and the page's {@code pagewire.publish}
 * fails with the code {@code REFUSED} and this exception's message, which the page sees.
 *
 * <pre>{@code
 * if (text.isBlank()) {
 *     throw new PublishRefusedException("say something");
 * }
 * }</pre>
 */
public class PublishRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Refuses the publish; {@code message} is what the page's error says, so keep it safe to show. */
    public PublishRefusedException(String message) {
        super(message, null, false, false);
    }
}
