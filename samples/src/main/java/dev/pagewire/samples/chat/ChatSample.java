package dev.pagewire.samples.chat;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Pagewire;
import dev.pagewire.Page;
import dev.pagewire.PageListener;
import dev.pagewire.samples.Sample;

/** Chat: rooms, live member lists, private messages; streamed by Server-Sent Events. */
public final class ChatSample implements Sample {
    private final ChatService chat = new ChatService();

    @Override
    public void configure(Pagewire.Builder builder) {
        builder.expose(chat).deliveryRule("/chat/**", DeliveryMode.SSE);
    }

    @Override
    public void start(Pagewire pagewire) {
        pagewire.pages().addListener(new PageListener() {
            @Override
            public void destroyed(Page page) {
                chat.pageEnded(page, pagewire.pages());
            }
        });
    }
}
