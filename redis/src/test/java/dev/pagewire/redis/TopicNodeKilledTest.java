package dev.pagewire.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.pagewire.testing.NodeProcess;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Nodes as real processes on a real redis-server: a page subscribed on a node that is killed
 * with SIGKILL goes on on another node, which loads it from Redis with its subscriptions and the
 * topic updates published while it was away, then delivers the later ones.
 */
class TopicNodeKilledTest {
    @Test
    void aPageSubscribedOnAKilledNodeGetsEveryPublishOnceAndInOrderOnAnother() {
        try (RedisServer redis = RedisServer.start();
             NodeProcess a = NodeProcess.start(RedisNodeMain.class, redis.uri());
             NodeProcess b = NodeProcess.start(RedisNodeMain.class, redis.uri())) {
            PageClient page = new PageClient(a.port());
            page.handshake("/room/");
            assertNull(page.call("PagewireTopics", "subscribe", "/stocks/*").get("error"));
            PageClient publisherOnA = publisher(a);
            PageClient publisherOnB = publisher(b);
            TopicUpdates updates = new TopicUpdates();

            publish(publisherOnA, 1, 10);
            updates.until(page, 5);
            a.kill();
            publish(publisherOnB, 11, 20); // while the page is on no node
            PageClient moved = page.at(b.port());
            updates.until(moved, 20);
            publish(publisherOnB, 21, 30); // to its copy on b
            List<String> got = updates.until(moved, 30);

            assertEquals(IntStream.rangeClosed(1, 30).mapToObj(n -> "/stocks/ACME " + n).toList(), got,
                    "every publish on its topic once, in order, and none on a topic its pattern does not match");
        }
    }

    private static PageClient publisher(NodeProcess node) {
        PageClient control = new PageClient(node.port());
        control.handshake("/control/");
        return control;
    }

    /** Publishes {@code from..to} on /stocks/ACME, each followed by one on /stocks/ACME/bids (not matched). */
    private static void publish(PageClient control, int from, int to) {
        for (int n = from; n <= to; n++) {
            assertEquals(n, control.call("Pusher", "publish", "/stocks/ACME", n).get("result").getAsInt());
            control.call("Pusher", "publish", "/stocks/ACME/bids", -n);
        }
    }
}
