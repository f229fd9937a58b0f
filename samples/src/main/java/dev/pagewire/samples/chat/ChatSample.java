package dev.pagewire.samples.chat;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.Pagewire;
import dev.pagewire.Pages;
import dev.pagewire.samples.Sample;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Chat: rooms, live member lists, private messages; streamed by Server-Sent Events. With Redis the
 * rooms are the cluster's: members are kept in Redis, so a page on one node talks with pages on
 * the others.
 *
 * <p><b>Threading.</b> Remote methods run on request threads. One thread of the sample's own,
 * "chat", removes the members of pages that ended (a {@link PageListener} must not wait on Redis)
 * and every 10 s renews the members whose pages this node holds.
 */
public final class ChatSample implements Sample {
    private static final System.Logger LOG = System.getLogger(ChatSample.class.getName());

    private final Roster roster;
    private final ChatService chat;
    private ScheduledExecutorService worker;

    /**
     * A chat whose rooms are kept in {@code redis}, shared by every node on it, or in this node's
     * memory when {@code redis} is {@code null}.
     */
    public ChatSample(RedisCommands<String, String> redis) {
        this.roster = redis == null ? new MemoryRoster() : new RedisRoster(redis);
        this.chat = new ChatService(roster);
    }

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(chat).deliveryRule("/chat/**", DeliveryMode.SSE);
    }

    @Override
    public void start(Pagewire pagewire) {
        Pages pages = pagewire.pages();
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "chat");
            thread.setDaemon(true);
            return thread;
        });
        pages.addListener(new PageListener() {
            @Override
            public void destroyed(Page page) {
                try {
                    worker.execute(() -> logFailure("remove a member", () -> chat.pageEnded(page, pages)));
                } catch (RejectedExecutionException stopping) {
                    // this node is stopping: in Redis the member expires unless a node holding the page renews it
                }
            }
        });
        worker.scheduleWithFixedDelay(() -> logFailure("renew the members",
                () -> roster.keep(pages.forPath("/chat/").pages().stream().map(Page::id).toList())), 10, 10, TimeUnit.SECONDS);
    }

    /** Runs {@code task}; a failure (Redis unreachable) is logged, so the worker keeps running. */
    private static void logFailure(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the chat could not " + what + ": " + e.getMessage());
        }
    }

    @Override
    public void stop() {
        worker.shutdown();
    }
}
