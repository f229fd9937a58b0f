package dev.pagewire.samples.chat;

/** What a member publishes on its room; the server makes a {@link ChatMessage} of it, signed. */
public record Said(String text) {
}
