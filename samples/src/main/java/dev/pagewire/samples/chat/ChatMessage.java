package dev.pagewire.samples.chat;

import java.time.Instant;

/**
 * One chat message as the page receives it.
 *
 * @param to the member it was whispered to, or {@code null} for the whole room
 */
public record ChatMessage(String from, String text, String to, Instant at) {
}
