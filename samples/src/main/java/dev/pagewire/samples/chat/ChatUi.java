package dev.pagewire.samples.chat;

import dev.pagewire.PageInterface;
import java.util.List;

/** The functions a chat page exposes: {@code pagewire.expose("chatUi", {message, members})}. */
@PageInterface("chatUi")
public interface ChatUi {
    void message(ChatMessage message);

    void members(List<String> names);
}
