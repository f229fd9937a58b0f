package dev.pagewire.samples.chat;

import dev.pagewire.ClientVisible;
import dev.pagewire.Page;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.time.Instant;
import java.util.List;

/**
 * A chat: members join a room by name, talk to the room, and whisper to one member. A member is
 * one page: closing the page removes the member. Who is in which room is kept by a {@link Roster}
 * (in memory, or in Redis for a cluster), and pushes go to each member's page by its id, which
 * reaches the page on whichever node it is served.
 */
@RemoteProxy(name = "Chat")
public class ChatService {
    private final Roster roster;

    ChatService(Roster roster) {
        this.roster = roster;
    }

    /** Joins {@code room} as {@code name}; returns the room's members. */
    @RemoteMethod
    public synchronized List<String> join(String room, String name, Page page, Pages pages) {
        String r = check(room, "room");
        String n = check(name, "name");
        if (roster.named(r, n) != null) {
            throw nameTaken(n, r);
        }
        leave(page, pages);
        if (!roster.add(new Member(n, r, page.id()))) {
            throw nameTaken(n, r); // taken meanwhile, on another node
        }
        announce(r, n + " joined", pages);
        return names(roster.in(r));
    }

    /** Says {@code text} to the member's room. */
    @RemoteMethod
    public void send(String text, Page page, Pages pages) {
        Member me = member(page);
        ChatMessage message = new ChatMessage(me.name(), check(text, "message"), null, Instant.now());
        roster.in(me.room()).forEach(m -> ui(m, pages).message(message));
    }

    /** Says {@code text} to one member of the room only (the sender sees it too). */
    @RemoteMethod
    public void whisper(String to, String text, Page page, Pages pages) {
        Member me = member(page);
        Member them = roster.named(me.room(), to);
        if (them == null) {
            throw new ChatException(to + " is not in " + me.room());
        }
        ChatMessage whisper = new ChatMessage(me.name(), check(text, "message"), them.name(), Instant.now());
        ui(them, pages).message(whisper);
        pages.current().proxy(ChatUi.class).message(whisper);
    }

    /** Leaves the room (closing the page does the same). */
    @RemoteMethod
    public synchronized void leave(Page page, Pages pages) {
        Member gone = roster.remove(page.id());
        if (gone != null) {
            announce(gone.room(), gone.name() + " left", pages);
        }
    }

    /** The page went away without leaving: a PageListener calls this. */
    void pageEnded(Page page, Pages pages) {
        leave(page, pages);
    }

    private void announce(String room, String text, Pages pages) {
        ChatMessage message = new ChatMessage(null, text, null, Instant.now());
        List<Member> members = roster.in(room);
        List<String> names = names(members);
        for (Member m : members) {
            ChatUi ui = ui(m, pages);
            ui.message(message);
            ui.members(names);
        }
    }

    /** The member's page, wherever it is served. */
    private static ChatUi ui(Member member, Pages pages) {
        return pages.byId(member.pageId()).proxy(ChatUi.class);
    }

    private Member member(Page page) {
        Member me = roster.byPage(page.id());
        if (me == null) {
            throw new ChatException("Join a room first");
        }
        return me;
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(Member::name).toList();
    }

    private static ChatException nameTaken(String name, String room) {
        return new ChatException(name + " is already in " + room + ": pick another name");
    }

    private static String check(String value, String what) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.length() > 200) {
            throw new ChatException("A " + what + " has 1 to 200 characters");
        }
        return v;
    }

    /** A refusal the page shows as it is. */
    @ClientVisible
    public static class ChatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ChatException(String message) {
            super(message);
        }
    }
}
