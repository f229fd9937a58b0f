package dev.pagewire.samples.chat;

/**
 * A name taken once per room between a page's join and its subscribe, the moment when presence
 * does not list the page yet: without it, two pages joining with one name at once could both be
 * accepted. {@link LocalNameClaims} on one node, {@link RedisNameClaims} in a cluster.
 */
interface NameClaims {
    /** Takes {@code member}'s name in its room for its page; {@code false} if another page holds it. */
    boolean claim(Member member);

    /** Starts {@code member}'s claim's lifetime again, where claims expire: its page is still open. */
    default void renew(Member member) {
    }

    /** Frees {@code member}'s name, if its page still holds it. */
    void release(Member member);

    /** The room's length first, so that a colon in a room's name cannot make two keys the same. */
    static String key(Member member) {
        return member.room().length() + ":" + member.room() + ":" + member.name();
    }
}
