package dev.pagewire.client;

/**
 * Runs a function the server pushes to the client's page
 * ({@code pages.forPath("/room/").call("chatUi.addMessage", message)}), exposed with
 * {@link PagewireClient.Builder#expose} under the same name.
 *
 * <pre>{@code
 * builder.expose("chatUi.addMessage", args -> messages.add(args.get(0, Message.class)));
 * }</pre>
 *
 * <p>Runs on the client's update thread, one update at a time in push order (see
 * {@link PagewireClient}). What it throws is reported to {@link ClientListener#problem} as
 * {@code UPDATE_FAILED}, and the update counts as applied: it is not sent again.
 */
@FunctionalInterface
public interface PushHandler {
    /** Handles one pushed call with its arguments. */
    void handle(Arguments args) throws Exception;
}
