package dev.pagewire.samples.chat;

import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The members of every room in Redis, shared by every node of the cluster, so a page on one node
 * sees who joined on another. Three kinds of keys, under {@value #PREFIX}:
 * <ul>
 * <li>{@code name:<length of room>:<room>:<name>}, the page holding that name (set only if absent: a name is taken
 * once per room, whichever node asks first);</li>
 * <li>{@code page:<page id>}, a hash of the page's room and name;</li>
 * <li>{@code room:<room>}, a set of the room's names (read with the name keys, so names whose key
 * expired drop out).</li>
 * </ul>
 * Members leave when their page leaves the room's topic (the topics' presence, on the node
 * holding it). A member whose
 * nodes all died has no such event: its keys expire {@link #LIFETIME} after the last {@link #keep}.
 *
 * <p><b>Threading.</b> Thread-safe: every method sends its commands on the node's one Lettuce
 * connection and waits for the replies on the calling thread.
 */
final class RedisRoster implements Roster {
    static final String PREFIX = "pagewire-samples:chat:";
    /** How long a member outlives the last node that renewed it; nodes renew every 10 s. */
    static final Duration LIFETIME = Duration.ofSeconds(30);

    private final RedisCommands<String, String> redis;

    RedisRoster(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    @Override
    public boolean add(Member member) {
        if (redis.set(nameKey(member.room(), member.name()), member.pageId(), SetArgs.Builder.nx().px(LIFETIME)) == null) {
            return false;
        }
        redis.hset(pageKey(member.pageId()), Map.of("room", member.room(), "name", member.name()));
        redis.sadd(roomKey(member.room()), member.name());
        renew(member);
        return true;
    }

    private Member byPage(String pageId) {
        Map<String, String> fields = redis.hgetall(pageKey(pageId));
        return fields.isEmpty() ? null : new Member(fields.get("name"), fields.get("room"), pageId);
    }

    @Override
    public Member named(String room, String name) {
        String pageId = redis.get(nameKey(room, name));
        return pageId == null ? null : new Member(name, room, pageId);
    }

    @Override
    public List<Member> in(String room) {
        List<String> names = redis.smembers(roomKey(room)).stream().sorted().toList();
        if (names.isEmpty()) {
            return List.of();
        }
        List<KeyValue<String, String>> pages = redis.mget(names.stream().map(n -> nameKey(room, n)).toArray(String[]::new));
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (pages.get(i).hasValue()) {
                members.add(new Member(names.get(i), room, pages.get(i).getValue()));
            } else {
                redis.srem(roomKey(room), names.get(i)); // the nodes of its page stopped renewing it
            }
        }
        return members;
    }

    @Override
    public void remove(String pageId) {
        Member member = byPage(pageId);
        if (member == null || redis.del(pageKey(pageId)) == 0) {
            return; // not a member, or another node removed it meanwhile
        }
        if (pageId.equals(redis.get(nameKey(member.room(), member.name())))) {
            redis.del(nameKey(member.room(), member.name()));
        }
        redis.srem(roomKey(member.room()), member.name());
    }

    @Override
    public void keep(Collection<String> pageIds) {
        for (String pageId : pageIds) {
            Member member = byPage(pageId);
            if (member != null) {
                renew(member);
            }
        }
    }

    private void renew(Member member) {
        redis.pexpire(nameKey(member.room(), member.name()), LIFETIME);
        redis.pexpire(pageKey(member.pageId()), LIFETIME);
        redis.pexpire(roomKey(member.room()), LIFETIME);
    }

    /** The room's length first, so that a colon in a room's name cannot make two keys the same. */
    private static String nameKey(String room, String name) {
        return PREFIX + "name:" + room.length() + ":" + room + ":" + name;
    }

    private static String pageKey(String pageId) {
        return PREFIX + "page:" + pageId;
    }

    private static String roomKey(String room) {
        return PREFIX + "room:" + room;
    }
}
