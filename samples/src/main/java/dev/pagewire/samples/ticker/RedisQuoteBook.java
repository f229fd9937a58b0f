package dev.pagewire.samples.ticker;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The prices in Redis, shared by every node, and a lease that lets one node at a time move them,
 * so every page sees one ticker whichever node serves it. Keys under {@value #PREFIX}: {@code
 * quotes}, a hash of price by symbol, and {@code leader}, the id of the node holding the lease.
 *
 * <p>The lease lasts {@link #LEASE}; its holder renews it every second. A node that stops gives it
 * up ({@link #resign}); one that dies holding it loses it when it expires, and the next node to
 * ask takes over from the prices in Redis. Taking and renewing is one script, so a node never
 * renews a lease that expired and went to another node meanwhile.
 *
 * <p><b>Threading.</b> Thread-safe: each method sends its command on the node's one Lettuce
 * connection and waits for the reply on the calling thread.
 */
final class RedisQuoteBook implements QuoteBook {
    static final String PREFIX = "pagewire-samples:ticker:";
    static final Duration LEASE = Duration.ofSeconds(3);

    private static final String QUOTES = PREFIX + "quotes";
    private static final String LEADER = PREFIX + "leader";
    /** 1 when this node (ARGV[1]) holds the lease now: renewed, or taken because it was free. */
    private static final String CLAIM = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if holder then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;
    private static final String RESIGN = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisCommands<String, String> redis;
    private final String node = UUID.randomUUID().toString();

    RedisQuoteBook(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public Map<String, Double> prices() {
        return redis.hgetall(QUOTES).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Double.valueOf(e.getValue())));
    }

    @Override
    public void put(String symbol, double price) {
        redis.hset(QUOTES, symbol, Double.toString(price));
    }

    @Override
    public boolean lead() {
        Long held = redis.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {LEADER}, node, Long.toString(LEASE.toMillis()));
        return held == 1;
    }

    @Override
    public void resign() {
        redis.eval(RESIGN, ScriptOutputType.INTEGER, new String[] {LEADER}, node);
    }
}
