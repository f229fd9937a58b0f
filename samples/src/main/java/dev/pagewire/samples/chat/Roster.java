package dev.pagewire.samples.chat;

import dev.pagewire.Page;
import dev.pagewire.Topics;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Who is in which room, as the topics' presence says: the pages subscribed to a room's topic,
 * named by the page attributes their join set (with several nodes, the pages of every node: those
 * other nodes serve carry the attributes they had at their subscribe, which the join sets before).
 * A page is a member while it is subscribed, and stops being one when it unsubscribes or ends.
 * A name is taken once per room: presence refuses a name a member has, and {@link NameClaims}
 * settle pages racing for a name that is not listed yet. Thread-safe.
 */
final class Roster {
    private final NameClaims claims;
    private volatile Topics topics;

    /** A roster on presence, whose names not listed yet are held by {@code claims}. */
    Roster(NameClaims claims) {
        this.claims = claims;
    }

    /** The topics to read presence from, once the Pagewire is built. */
    void use(Topics topics) {
        this.topics = topics;
    }

    /**
     * Takes {@code member}'s name in its room, for its page to subscribe; {@code false} if a member
     * has it or another page claimed it.
     */
    boolean add(Member member) {
        return named(member.room(), member.name()) == null && claims.claim(member);
    }

    /** The member of {@code room} called {@code name}, or {@code null}. */
    Member named(String room, String name) {
        return in(room).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    /** The members of {@code room}, by name. */
    List<Member> in(String room) {
        List<Page> pages = topics.topic(ChatService.ROOMS + room).subscribers();
        return pages.stream().map(ChatService::member).filter(Objects::nonNull)
                .sorted(Comparator.comparing(Member::name)).toList();
    }

    /** {@code member} left: its name is free (presence forgot it already). */
    void left(Member member) {
        claims.release(member);
    }

    /** These pages, which this node holds, are still open: their names stay claimed. */
    void keep(Collection<Page> pages) {
        pages.stream().map(ChatService::member).filter(Objects::nonNull).forEach(claims::renew);
    }
}
