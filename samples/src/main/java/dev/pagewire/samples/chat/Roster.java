package dev.pagewire.samples.chat;

import java.util.Collection;
import java.util.List;

/**
 * Who is in which room: {@link PresenceRoster}, the topics' presence, on one node; {@link
 * RedisRoster} shared by the nodes of a cluster, where presence is each node's own. A page is a
 * member of one room at most, and a name is taken once per room. Thread-safe.
 */
interface Roster {
    /** Adds {@code member}; {@code false} when its room already has a member of that name. */
    boolean add(Member member);

    /** The member of {@code room} called {@code name}, or {@code null}. */
    Member named(String room, String name);

    /** The members of {@code room}, by name. */
    List<Member> in(String room);

    /** Removes the member that page {@code pageId} is, if any. */
    void remove(String pageId);

    /** These pages are still open: their members stay (a shared roster forgets the others in time). */
    default void keep(Collection<String> pageIds) {
    }
}
