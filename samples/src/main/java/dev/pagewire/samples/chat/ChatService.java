package dev.pagewire.samples.chat;

import dev.pagewire.ClientVisible;
import dev.pagewire.PageGroup;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Page;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chat: members join a room by name, talk to the room, and whisper to one member. A member is
 * one page: closing the page removes the member.
 */
@RemoteProxy(name = "Chat")
public class ChatService {
    private static final String ROOM = "chat.room";
    private static final String NAME = "chat.name";

    private record Member(String name, String room, String pageId) {
    }

    private final Map<String, Member> members = new ConcurrentHashMap<>(); // by page id

    /** Joins {@code room} as {@code name}; returns the room's members. */
    @RemoteMethod
    public synchronized List<String> join(String room, String name, Page page, Pages pages) {
        String r = check(room, "room");
        String n = check(name, "name");
        if (memberNamed(r, n) != null) {
            throw new ChatException(n + " is already in " + r + ": pick another name");
        }
        leave(page, pages);
        members.put(page.id(), new Member(n, r, page.id()));
        page.setAttribute(ROOM, r);
        page.setAttribute(NAME, n);
        announce(r, n + " joined", pages);
        return names(r);
    }

    /** Says {@code text} to the member's room. */
    @RemoteMethod
    public void send(String text, Page page, Pages pages) {
        Member me = member(page);
        room(me.room(), pages).proxy(ChatUi.class).message(new ChatMessage(me.name(), check(text, "message"), null, Instant.now()));
    }

    /** Says {@code text} to one member of the room only (the sender sees it too). */
    @RemoteMethod
    public void whisper(String to, String text, Page page, Pages pages) {
        Member me = member(page);
        Member them = memberNamed(me.room(), to);
        if (them == null) {
            throw new ChatException(to + " is not in " + me.room());
        }
        ChatMessage whisper = new ChatMessage(me.name(), check(text, "message"), them.name(), Instant.now());
        pages.byId(them.pageId()).proxy(ChatUi.class).message(whisper);
        pages.current().proxy(ChatUi.class).message(whisper);
    }

    /** Leaves the room (closing the page does the same). */
    @RemoteMethod
    public synchronized void leave(Page page, Pages pages) {
        Member gone = members.remove(page.id());
        if (gone != null) {
            page.setAttribute(ROOM, null);
            announce(gone.room(), gone.name() + " left", pages);
        }
    }

    /** The page went away without leaving: a PageListener calls this. */
    void pageEnded(Page page, Pages pages) {
        leave(page, pages);
    }

    private void announce(String room, String text, Pages pages) {
        ChatUi ui = room(room, pages).proxy(ChatUi.class);
        ui.message(new ChatMessage(null, text, null, Instant.now()));
        ui.members(names(room));
    }

    private static PageGroup room(String room, Pages pages) {
        return pages.forPath("/chat/").matching(s -> room.equals(s.getAttribute(ROOM)));
    }

    private Member member(Page page) {
        Member me = members.get(page.id());
        if (me == null) {
            throw new ChatException("Join a room first");
        }
        return me;
    }

    private Member memberNamed(String room, String name) {
        return members.values().stream().filter(m -> m.room().equals(room) && m.name().equals(name))
                .findFirst().orElse(null);
    }

    private List<String> names(String room) {
        return members.values().stream().filter(m -> m.room().equals(room)).map(Member::name).sorted().toList();
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
