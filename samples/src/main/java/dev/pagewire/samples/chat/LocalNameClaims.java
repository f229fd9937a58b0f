package dev.pagewire.samples.chat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * Names claimed in this node's memory, for one node: each room and name held by the id of the page
 * that took it, until that page leaves or ends (the sample releases the claim then). A claim whose
 * page is no longer open is free for the next page even before that. Thread-safe.
 */
final class LocalNameClaims implements NameClaims {
    private final ConcurrentMap<String, String> holders = new ConcurrentHashMap<>();
    private final Predicate<String> open;

    /** @param open whether the page with this id is still open */
    LocalNameClaims(Predicate<String> open) {
        this.open = open;
    }

    @Override
    public boolean claim(Member member) {
        String id = member.pageId();
        return id.equals(holders.compute(key(member),
                (key, holder) -> holder == null || holder.equals(id) || !open.test(holder) ? id : holder));
    }

    @Override
    public void release(Member member) {
        holders.remove(key(member), member.pageId());
    }

    private static String key(Member member) {
        return member.room().length() + ":" + member.room() + ":" + member.name();
    }
}
