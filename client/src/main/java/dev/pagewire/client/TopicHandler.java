package dev.pagewire.client;

/**
 * Receives what is published on the topics a {@link PagewireClient#subscribe subscription}'s
 * pattern means: the data, converted to the subscription's type, and where it came from.
 *
 * <pre>{@code
 * client.subscribe("/ticker/prices/*", Price.class, (price, info) -> show(info.key(), price));
 * }</pre>
 *
 * <p>Runs on the client's update thread, in push order with every other update (see
 * {@link PagewireClient}). What it throws is reported to {@link ClientListener#problem} as
 * {@code UPDATE_FAILED}, and the update counts as applied.
 *
 * @param <T> the type the published data converts to
 */
@FunctionalInterface
public interface TopicHandler<T> {
    /** Handles one published value. */
    void handle(T data, TopicInfo info) throws Exception;
}
