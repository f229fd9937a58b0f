package dev.pagewire.redis;

import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.NodeMain;
import java.io.IOException;

/**
 * A Pagewire node on Redis as its own process, for fault tests ({@code NodeProcess.start(
 * RedisNodeMain.class, redisUri)}): it exposes {@link Pusher}, serves a test page at {@code
 * /room/} (it records the pushes {@code ui.b(n)} and {@code ui.t(n)} in {@code window.got}), lets
 * pages subscribe to the topics {@code /stocks/**},
 * prints {@code port=N} once it listens, and runs until its stdin ends or it is killed.
 */
public final class RedisNodeMain {
    private static volatile Pagewire node;

    private RedisNodeMain() {
    }

    /** Pushes on request, so a test can make this node push over plain HTTP. */
    @RemoteProxy
    public static class Pusher {
        /** Pushes {@code ui.n(n)} to every page of every node; returns once Redis has it. */
        @RemoteMethod
        public int push(int n, Pages pages) {
            pages.all().call("ui.n", n);
            return n;
        }

        /** Pushes {@code ui.b(n)} to every page at {@code path} on every node. */
        @RemoteMethod
        public int broadcast(String path, int n, Pages pages) {
            pages.forPath(path).call("ui.b", n);
            return n;
        }

        /**
         * As {@link #broadcast}, but tells a failed push apart: {@code n} when Redis took it, -1
         * when it was certainly not sent, -2 when it may still arrive.
         */
        @RemoteMethod
        public int tryBroadcast(String path, int n, Pages pages) {
            try {
                pages.forPath(path).call("ui.b", n);
                return n;
            } catch (dev.pagewire.PushFailedException e) {
                return e.mayStillArrive() ? -2 : -1;
            }
        }

        /** Publishes {@code n} on the topic {@code topic} (pages may subscribe to {@code /stocks/**}). */
        @RemoteMethod
        public int publish(String topic, int n) {
            node.topics().topic(topic).publish(n);
            return n;
        }

        /** Publishes {@code n} on the topic {@code topic} as the latest value of {@code key}. */
        @RemoteMethod
        public int publishLatest(String topic, String key, int n) {
            node.topics().topic(topic).publishLatest(key, n);
            return n;
        }

        /** Pushes {@code ui.t(n)} to one page, wherever it is served. */
        @RemoteMethod
        public int toPage(String pageId, int n, Pages pages) {
            pages.byId(pageId).call("ui.t", n);
            return n;
        }
    }

    /** Runs a node on the Redis at {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        node = Pagewire.builder().expose(Pusher.class).topic(TopicRule.on("/stocks/**").subscribe(TopicAccess.anyone()))
                .cometHold(java.time.Duration.ofSeconds(5)).backend(RedisBackend.create(args[0])).build();
        NodeMain.serve(PagewireServer.create(node).staticClasspath("cluster-page"));
    }
}
