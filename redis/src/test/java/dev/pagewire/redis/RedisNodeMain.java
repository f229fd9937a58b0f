package dev.pagewire.redis;

import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.testing.NodeMain;
import java.io.IOException;

/**
 * A Pagewire node on Redis as its own process, for fault tests ({@code NodeProcess.start(
 * RedisNodeMain.class, redisUri)}): it exposes {@link Pusher}, prints {@code port=N} once it
 * listens, and runs until its stdin ends or it is killed.
 */
public final class RedisNodeMain {
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
    }

    /** Runs a node on the Redis at {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        NodeMain.serve(Pagewire.builder().expose(Pusher.class).backend(RedisBackend.create(args[0])).build());
    }
}
