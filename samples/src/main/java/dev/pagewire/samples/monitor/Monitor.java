package dev.pagewire.samples.monitor;

import dev.pagewire.Page;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lists the pages this node holds. Pages call {@code Monitor.pages()} for the list. With several
 * nodes (PAGEWIRE_REDIS) each node lists its own copies of pages, under its name.
 */
@RemoteProxy
public class Monitor {
    /** Most rows sent, so a busy server does not send a huge list. */
    static final int MAX_ROWS = 100;

    /** This node's name on monitor pages: made up at start, enough to tell the nodes apart. */
    private final String node = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));

    /**
     * One open page. {@code id} is the start of its page id, enough to tell pages apart;
     * {@code connection} tells whether its updates come on a connection of its own, on another
     * tab's WebSocket ({@code via} that page), or whether its socket carries other tabs' pages too.
     */
    public record Row(String id, String path, String mode, long ageSeconds, int queued, long acknowledged,
                      String connection) {
    }

    /** The pages one node holds, newest first. */
    public record NodePages(String node, List<Row> rows) {
    }

    /** The newest pages, newest first. {@code pages} is supplied by the server, not sent by the page. */
    @RemoteMethod
    public NodePages pages(Pages pages) {
        return list(pages);
    }

    NodePages list(Pages pages) {
        Instant now = Instant.now();
        List<Page> all = pages.all().pages();
        Map<String, Long> carried = all.stream().map(Page::carriedBy).flatMap(Optional::stream)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return new NodePages(node, all.stream()
                .sorted(Comparator.comparing(Page::createdAt).reversed())
                .limit(MAX_ROWS)
                .map(s -> new Row(s.id().substring(0, 8), s.path(), s.deliveryMode().wireName(),
                        Duration.between(s.createdAt(), now).toSeconds(), s.queuedUpdates(), s.lastAcknowledged(),
                        connection(s, carried.getOrDefault(s.id(), 0L))))
                .toList());
    }

    /** "own", "via 1a2b3c4d…" (another tab's socket carries it), or "leader of 3 tabs". */
    private static String connection(Page page, long carries) {
        if (page.carriedBy().isPresent()) {
            return "via " + page.carriedBy().get().substring(0, 8) + "…";
        }
        return carries == 0 ? "own" : "leader of " + carries + (carries == 1 ? " tab" : " tabs");
    }
}
