package dev.pagewire.samples.chat;

import dev.pagewire.ClientVisible;
import dev.pagewire.Page;
import dev.pagewire.Pages;
import dev.pagewire.PublishRefusedException;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Topics;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A chat whose rooms are topics: a page joins a room by name ({@link #join}), which lets it
 * subscribe to the room's topic {@code /chat/rooms/<room>}; subscribing makes it a member
 * (presence), and only members may publish there. What a member publishes passes {@link
 * #stamped} first, which signs it with the member's name. Joins and leaves are announced on the
 * room's topic and the member list on {@code /chat/members/<room>}; whispers stay pushes to one
 * page. Who is in which room is the {@link Roster}'s: the room topic's presence, on one node or
 * several.
 *
 * <p>Joins and leaves are announced by the node that hears them (its presence listener), once, on
 * the room's topic, which reaches the members on every node: a node hears only the subscribes it
 * served and the page ends it made, so no event is announced twice.
 */
@RemoteProxy(name = "Chat")
public class ChatService {
    /** Each room's topic: messages, joins and leaves. */
    static final String ROOMS = "/chat/rooms/";
    /** Each room's member list, published whenever it changes. */
    static final String MEMBERS = "/chat/members/";
    private static final String NAME = "chat.name";
    private static final String ROOM = "chat.room";
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private final Roster roster;

    ChatService(Roster roster) {
        this.roster = roster;
    }

    /**
     * Takes {@code name} in {@code room} for the calling page, which may then subscribe to the
     * room's topics; returns the room's topic. The name and room are page attributes set here,
     * before the subscribe, which records them in the store for the other nodes' presence.
     */
    @RemoteMethod
    public synchronized String join(String room, String name, Page page) {
        String r = check(room, "room");
        if (!ROOM_NAME.matcher(r).matches()) {
            throw new ChatException("A room's name has letters, digits, '-', '_' and '.' only");
        }
        String n = check(name, "name");
        if (page.getAttribute(ROOM) != null) {
            throw new ChatException("You are in " + page.getAttribute(ROOM) + " already");
        }
        if (roster.named(r, n) != null || !roster.add(new Member(n, r, page.id()))) {
            throw new ChatException(n + " is already in " + r + ": pick another name");
        }
        page.setAttribute(NAME, n);
        page.setAttribute(ROOM, r);
        return ROOMS + r;
    }

    /** Says {@code text} to one member of the room only (the sender sees it too). */
    @RemoteMethod
    public void whisper(String to, String text, Page page, Pages pages) {
        Member me = member(page);
        if (me == null) {
            throw new ChatException("Join a room first");
        }
        Member them = roster.named(me.room(), to);
        if (them == null) {
            throw new ChatException(to + " is not in " + me.room());
        }
        ChatMessage whisper = new ChatMessage(me.name(), check(text, "message"), them.name(), Instant.now());
        pages.byId(them.pageId()).proxy(ChatUi.class).message(whisper);
        pages.current().proxy(ChatUi.class).message(whisper);
    }

    /** Whether {@code page} may subscribe to {@code topic}: the topics of the room it joined. */
    static boolean joined(Page page, String topic) {
        Object room = page.getAttribute(ROOM);
        return room != null && (topic.equals(ROOMS + room) || topic.equals(MEMBERS + room));
    }

    /**
     * What a member publishes on its room, signed with its name and the server's time.
     *
     * @throws PublishRefusedException for an empty or too long message
     */
    static ChatMessage stamped(Page page, Said said) {
        String text = said.text() == null ? "" : said.text().strip();
        if (text.isEmpty() || text.length() > 200) {
            throw new PublishRefusedException("A message has 1 to 200 characters");
        }
        return new ChatMessage((String) page.getAttribute(NAME), text, null, Instant.now());
    }

    /** {@code page} subscribed to its room: announces it, with the new member list. */
    void joined(Page page, Topics topics) {
        Member me = member(page);
        announce(me.room(), me.name() + " joined", topics);
    }

    /** {@code page} left its room's topic, or ended: its name is free, and the room hears it. */
    void left(Page page, Topics topics) {
        Member me = member(page);
        roster.left(me);
        announce(me.room(), me.name() + " left", topics);
    }

    private void announce(String room, String text, Topics topics) {
        topics.<ChatMessage>topic(ROOMS + room).publish(new ChatMessage(null, text, null, Instant.now()));
        topics.<List<String>>topic(MEMBERS + room).publish(roster.in(room).stream().map(Member::name).toList());
    }

    /** The member {@code page} is, from the attributes its join set, or {@code null}. */
    static Member member(Page page) {
        Object name = page.getAttribute(NAME);
        Object room = page.getAttribute(ROOM);
        return name == null || room == null ? null : new Member((String) name, (String) room, page.id());
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
