package dev.pagewire.samples.chat;

import dev.pagewire.Page;
import dev.pagewire.Topics;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The members of one node's rooms as the topics' presence says: the pages subscribed to a room's
 * topic, named by the page attribute their join set. Nothing is kept here: a page is a member
 * while it is subscribed, and stops being one when it unsubscribes or ends. Thread-safe.
 */
final class PresenceRoster implements Roster {
    private volatile Topics topics;

    /** The topics to read presence from, once the Pagewire is built. */
    void use(Topics topics) {
        this.topics = topics;
    }

    /** Nothing to add: subscribing to the room makes the member. {@code false} if the name is taken. */
    @Override
    public boolean add(Member member) {
        return named(member.room(), member.name()) == null;
    }

    @Override
    public Member named(String room, String name) {
        return in(room).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public List<Member> in(String room) {
        List<Page> pages = topics.topic(ChatService.ROOMS + room).subscribers();
        return pages.stream().map(p -> ChatService.member(p)).filter(Objects::nonNull)
                .sorted(Comparator.comparing(Member::name)).toList();
    }

    /** Nothing to remove: the page unsubscribed or ended already. */
    @Override
    public void remove(String pageId) {
    }
}
