package dev.pagewire.samples.chat;

import dev.pagewire.PageInterface;

/** What a chat page exposes for whispers, which are pushes to one page: {@code pagewire.expose("chatUi", {message})}. */
@PageInterface("chatUi")
public interface ChatUi {
    void message(ChatMessage message);
}
