package dev.pagewire.files;

import com.google.gson.annotations.SerializedName;
import dev.pagewire.FileDownload;
import dev.pagewire.security.Secrets;
import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The downloads offered to pages: each {@link FileDownload} a remote method returned, under a
 * random id, bound to the owner of the page that called (its HTTP session's key, or with a page
 * store its browser key), until it is fetched whole once or {@code downloadExpiry} passes. The
 * content is read only when {@code GET {mount}/download/{id}} asks for it, and streamed.
 *
 * <p><b>Threading.</b> Offered on the call's thread (or the thread completing its stage), served
 * on container request threads, swept by the housekeeper; a concurrent map, and a whole download
 * is taken out of it with one atomic remove, so two requests cannot both get it.
 */
public final class Downloads {
    private static final int BUFFER = 64 * 1024;
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final long expiryNanos;

    /** {@code expiry}: how long an offered download may be fetched. */
    public Downloads(Duration expiry) {
        this.expiryNanos = expiry.toNanos();
    }

    /** What the page receives for a download: {@code {"$download": {name, type, size, url}}}. */
    public record Offered(@SerializedName("$download") Link download) {
    }

    /** A download as the page sees it; {@code size} is {@code null} when unknown. */
    public record Link(String name, String type, Long size, String url) {
    }

    private record Offer(FileDownload file, String owner, long expires) {
    }

    /** Offers {@code file} to the pages of {@code owner}; the URL is below {@code mount}. */
    public Offered offer(FileDownload file, String owner, String mount) {
        String id = Secrets.newSecret();
        offers.put(id, new Offer(file, owner, System.nanoTime() + expiryNanos));
        return new Offered(new Link(FileNames.clean(file.name()), mediaType(file.type()),
                file.length() < 0 ? null : file.length(), mount + "/download/" + id));
    }

    /** Forgets expired offers (the housekeeper's round). */
    public void sweep() {
        long now = System.nanoTime();
        offers.values().removeIf(o -> now - o.expires > 0);
    }

    /** Offers not yet fetched whole nor swept. */
    public int size() {
        return offers.size();
    }

    /**
     * {@code GET download/{id}} from a caller whose owner key is {@code owner} ({@code null}
     * without one). A request without {@code Range} takes the download (it is then gone); a
     * single {@code Range} of a file-backed download gets 206 and leaves it, so a browser may
     * resume; an unsatisfiable one gets 416.
     *
     * @throws Refusal 410 {@code DOWNLOAD_GONE} (unknown, used or expired); 403 {@code
     *                 DOWNLOAD_FORBIDDEN} (another HTTP session's)
     */
    public void serve(String id, String owner, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Offer offer = offers.get(id);
        if (offer == null || System.nanoTime() - offer.expires > 0) {
            throw new Refusal(410, "DOWNLOAD_GONE", "this download was used, has expired or never existed");
        }
        if (owner == null || !Secrets.matches(owner, offer.owner)) {
            throw new Refusal(403, "DOWNLOAD_FORBIDDEN", "this download belongs to another HTTP session");
        }
        FileDownload file = offer.file;
        ByteRange range = file.path() == null ? null : ByteRange.parse(request.getHeader("Range"), file.length());
        if (range == ByteRange.UNSATISFIABLE) {
            response.setHeader("Content-Range", "bytes */" + file.length());
            throw new Refusal(416, "RANGE_NOT_SATISFIABLE", "the range is outside the file's "
                    + file.length() + " bytes");
        }
        if (range == null && !offers.remove(id, offer)) {
            throw new Refusal(410, "DOWNLOAD_GONE", "this download was used, has expired or never existed");
        }
        headers(file, response);
        if (range != null) {
            response.setStatus(206);
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + file.length());
            response.setContentLengthLong(range.length());
            try (SeekableByteChannel channel = Files.newByteChannel(file.path())) {
                copy(Channels.newInputStream(channel.position(range.first())), response.getOutputStream(), range.length());
            }
            return;
        }
        if (file.length() >= 0) {
            response.setContentLengthLong(file.length());
        }
        try (InputStream in = file.open()) {
            copy(in, response.getOutputStream(), file.length() < 0 ? Long.MAX_VALUE : file.length());
        }
    }

    private static void headers(FileDownload file, HttpServletResponse response) {
        response.setContentType(mediaType(file.type()));
        response.setHeader("Content-Disposition", FileNames.attachment(file.name()));
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Accept-Ranges", file.path() == null ? "none" : "bytes");
    }

    /** {@code type} if it is a plain {@code type/subtype} (parameters allowed) of printable ASCII; else octet-stream. */
    static String mediaType(String type) {
        boolean plain = type.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[ -~]*)?");
        return plain ? type : "application/octet-stream";
    }

    private static void copy(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buf = new byte[BUFFER];
        long left = max;
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) >= 0; ) {
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
