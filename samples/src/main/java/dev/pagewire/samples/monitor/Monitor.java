package dev.pagewire.samples.monitor;

import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Lists the pages open on the server. Pages call {@code Monitor.pages()} for the list. */
@RemoteProxy
public class Monitor {
    /** Most rows sent, so a busy server does not send a huge list. */
    static final int MAX_ROWS = 100;

    /** One open page. {@code id} is the start of its page id, enough to tell pages apart. */
    public record Row(String id, String path, String mode, long ageSeconds, int queued, long acknowledged) {
    }

    /** The newest pages, newest first. {@code pages} is supplied by the server, not sent by the page. */
    @RemoteMethod
    public List<Row> pages(Pages pages) {
        return rows(pages);
    }

    static List<Row> rows(Pages pages) {
        Instant now = Instant.now();
        return pages.all().pages().stream()
                .sorted(Comparator.comparing(Page::createdAt).reversed())
                .limit(MAX_ROWS)
                .map(s -> new Row(s.id().substring(0, 8), s.path(), s.deliveryMode().wireName(),
                        Duration.between(s.createdAt(), now).toSeconds(), s.queuedUpdates(), s.lastAcknowledged()))
                .toList();
    }
}
