package dev.pagewire.samples.chat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Names claimed in this node's memory, for one node: each room and name held by the id of the page
 * that took it, until that page leaves or ends (the sample releases the claim then). Thread-safe.
 */
final class LocalNameClaims implements NameClaims {
    private final ConcurrentMap<String, String> holders = new ConcurrentHashMap<>();

    @Override
    public boolean claim(Member member) {
        return member.pageId().equals(holders.computeIfAbsent(NameClaims.key(member), key -> member.pageId()));
    }

    @Override
    public void release(Member member) {
        holders.remove(NameClaims.key(member), member.pageId());
    }
}
