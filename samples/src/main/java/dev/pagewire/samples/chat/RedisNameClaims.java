package dev.pagewire.samples.chat;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * Names claimed in Redis, for a cluster, where two nodes may race for a name. Both may find the
 * name free in presence; a key per room and name, {@value
 * #PREFIX}{@code <length of room>:<room>:<name>}, set only if absent ({@code SET NX}), holds the
 * page id of the one that wins. The claim covers the moment between a join and the page's
 * subscribe, after which presence shows the name taken too; the node holding the page renews it
 * every third of its {@link #lifetime()}, and the member's leave deletes it.
 *
 * <p>A claim whose node died expires within its lifetime: half the page idle timeout, 30 s at most,
 * so before the page leaves presence (its lifetime in the store is the idle timeout from when it
 * was last heard from). The name is then taken as long as the page is listed, and free once it is
 * not.
 *
 * <p><b>Threading.</b> Thread-safe: every method sends its command on the node's one Lettuce
 * connection and waits for the reply on the calling thread.
 */
final class RedisNameClaims implements NameClaims {
    private static final String PREFIX = "pagewire-samples:chat:name:";
    private static final Duration LONGEST = Duration.ofSeconds(30);
    /** Deletes the claim only if this page still holds it (it may have expired and been taken since). */
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private final RedisCommands<String, String> redis;
    private final Duration lifetime;

    /** Claims in {@code redis}, for pages that end {@code pageIdleTimeout} after they were last heard from. */
    RedisNameClaims(RedisCommands<String, String> redis, Duration pageIdleTimeout) {
        this.redis = redis;
        Duration half = pageIdleTimeout.dividedBy(2);
        this.lifetime = half.compareTo(LONGEST) < 0 ? half : LONGEST;
    }

    /** How long a claim lasts after its last renewal. */
    Duration lifetime() {
        return lifetime;
    }

    /** Takes {@code member}'s name in its room for its page; {@code false} if another page holds it. */
    @Override
    public boolean claim(Member member) {
        return redis.set(key(member), member.pageId(), SetArgs.Builder.nx().px(lifetime)) != null;
    }

    /** Starts {@code member}'s claim's lifetime again: its page is still open. */
    @Override
    public void renew(Member member) {
        redis.pexpire(key(member), lifetime);
    }

    /** Frees {@code member}'s name, if its page still holds it. */
    @Override
    public void release(Member member) {
        redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(member)}, member.pageId());
    }

    private static String key(Member member) {
        return PREFIX + NameClaims.key(member);
    }
}
