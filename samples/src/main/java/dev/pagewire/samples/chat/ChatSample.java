package dev.pagewire.samples.chat;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.Pagewire;
import dev.pagewire.Pages;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicListener;
import dev.pagewire.TopicRule;
import dev.pagewire.Topics;
import dev.pagewire.samples.Sample;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Chat: rooms as topics, live member lists from the topics' presence, private messages; streamed
 * by Server-Sent Events. A page joins a room ({@code Chat.join}), then subscribes to its topic,
 * which makes it a member; only members may publish there, and what they publish is signed with
 * their name on the way ({@link TopicListener#publishing}). With Redis the rooms are the
 * cluster's: publishes cross nodes, presence lists the members of every node, and Redis keeps
 * only the names claimed ({@link RedisNameClaims}).
 *
 * <p><b>Threading.</b> Remote methods and publish listeners run on request threads. One thread of
 * the sample's own, "chat", announces joins and leaves (presence listeners must not wait on Redis,
 * and the member list is read from the store) and, in a cluster, renews the name claims of the
 * members whose pages this node holds, every third of a claim's lifetime.
 */
public final class ChatSample implements Sample {
    private static final System.Logger LOG = System.getLogger(ChatSample.class.getName());

    private final RedisNameClaims redisClaims; // null on one node
    private final Roster roster;
    private final ChatService chat;
    private ScheduledExecutorService worker;

    /**
     * A chat whose names are claimed in {@code redis}, shared by every node on it, or on this node
     * alone when {@code redis} is {@code null}; pages end {@code pageIdleTimeout} after they were
     * last heard from (the Pagewire's setting), which bounds how long a claim lasts.
     */
    public ChatSample(RedisCommands<String, String> redis, Duration pageIdleTimeout) {
        this.redisClaims = redis == null ? null : new RedisNameClaims(redis, pageIdleTimeout);
        this.roster = new Roster(redisClaims != null ? redisClaims : new LocalNameClaims());
        this.chat = new ChatService(roster);
    }

    @Override
    public void configure(Pagewire.Builder builder) {
        TopicAccess joined = (page, request, topic) -> ChatService.joined(page, topic);
        builder.expose(chat).deliveryRule("/chat/**", DeliveryMode.SSE)
                .topic(TopicRule.on(ChatService.ROOMS + "*").subscribe(joined, ChatMessage.class)
                        .publish(TopicAccess.subscribers(), Said.class))
                .topic(TopicRule.on(ChatService.MEMBERS + "*").subscribe(joined));
    }

    @Override
    public void start(Pagewire pagewire) {
        Pages pages = pagewire.pages();
        Topics topics = pagewire.topics();
        roster.use(topics);
        worker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "chat");
            thread.setDaemon(true);
            return thread;
        });
        topics.addListener(new TopicListener() {
            @Override
            public void subscribed(Page page, String pattern) {
                if (pattern.startsWith(ChatService.ROOMS)) {
                    later("announce a join", () -> chat.joined(page, topics));
                }
            }

            @Override
            public void unsubscribed(Page page, String pattern) {
                if (pattern.startsWith(ChatService.ROOMS)) {
                    later("announce a leave", () -> chat.left(page, topics));
                }
            }

            @Override
            public Object publishing(Page page, String topic, Object data) {
                return topic.startsWith(ChatService.ROOMS) ? ChatService.stamped(page, (Said) data) : data;
            }
        });
        pages.addListener(new PageListener() {
            @Override
            public void destroyed(Page page) {
                Member member = ChatService.member(page);
                if (member != null) { // its name is free, also if it was only claimed (closed before it subscribed)
                    later("free a name", () -> roster.left(member));
                }
            }
        });
        if (redisClaims != null) {
            long every = redisClaims.lifetime().toMillis() / 3;
            worker.scheduleWithFixedDelay(() -> logFailure("renew the names",
                    () -> roster.keep(pages.forPath("/chat/").pages())), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code task} on the worker, in order; none once this node is stopping. */
    private void later(String what, Runnable task) {
        try {
            worker.execute(() -> logFailure(what, task));
        } catch (RejectedExecutionException stopping) {
            // this node is stopping: a name claim expires unless a node holding the page renews it
        }
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
