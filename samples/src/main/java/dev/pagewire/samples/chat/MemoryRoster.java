package dev.pagewire.samples.chat;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The members of one node's rooms, in memory: pages on other nodes never see them. */
final class MemoryRoster implements Roster {
    private final Map<String, Member> byPage = new HashMap<>();

    @Override
    public synchronized boolean add(Member member) {
        if (named(member.room(), member.name()) != null) {
            return false;
        }
        byPage.put(member.pageId(), member);
        return true;
    }

    @Override
    public synchronized Member byPage(String pageId) {
        return byPage.get(pageId);
    }

    @Override
    public synchronized Member named(String room, String name) {
        return in(room).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public synchronized List<Member> in(String room) {
        return byPage.values().stream().filter(m -> m.room().equals(room))
                .sorted(Comparator.comparing(Member::name)).toList();
    }

    @Override
    public synchronized Member remove(String pageId) {
        return byPage.remove(pageId);
    }
}
