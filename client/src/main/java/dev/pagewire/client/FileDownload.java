package dev.pagewire.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * A file a remote method returned (the server's {@code FileDownload}, {@code {"$download": ...}}
 * on the wire): its name, type and size, and its one-time URL, fetched with the client's own
 * HTTP client and cookies (the server serves it to the HTTP session of the page that called, once).
 * Declare it as the proxy method's result type, or in a {@code CompletableFuture}:
 *
 * <pre>{@code
 * interface Reports { FileDownload export(String room); }
 * Path saved = client.proxy(Reports.class).export("lobby").saveTo(Path.of("lobby.csv"));
 * }</pre>
 *
 * <p>Threading: immutable; {@link #open()} and {@link #saveTo} block the calling thread.
 */
public final class FileDownload {
    private final WireHttp http;
    private final String name;
    private final String type;
    private final long size;
    private final URI url;

    private FileDownload(WireHttp http, String name, String type, long size, URI url) {
        this.http = http;
        this.name = name;
        this.type = type;
        this.size = size;
        this.url = url;
    }

    /** The download a call result describes, or null when it is no {@code $download} object. */
    static FileDownload read(WireHttp http, JsonElement result) {
        JsonElement download = result != null && result.isJsonObject() ? result.getAsJsonObject().get("$download") : null;
        if (download == null || !download.isJsonObject()) {
            return null;
        }
        JsonObject fields = download.getAsJsonObject();
        String url = Page.string(fields, "url");
        if (url == null) {
            return null;
        }
        long size = UpdateApplier.safeInteger(fields.get("size"));
        return new FileDownload(http, Page.string(fields, "name"), Page.string(fields, "type"), size, http.resolve(url));
    }

    /** The file's name, as the server gave it (for {@code Content-Disposition}). */
    public String name() {
        return name;
    }

    /** Its media type, such as {@code text/csv}. */
    public String type() {
        return type;
    }

    /** Its size in bytes, when the server knows it. */
    public OptionalLong size() {
        return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** Its absolute one-time URL. */
    public URI url() {
        return url;
    }

    /**
     * Fetches the file: {@code GET} its URL with the client's cookies; the stream reads the body as
     * it arrives (close it). A download is served once: a second fetch fails with
     * {@code DOWNLOAD_GONE}.
     *
     * @throws PagewireCallException the server's refusal ({@code DOWNLOAD_GONE},
     *                               {@code DOWNLOAD_FORBIDDEN}) or {@code NETWORK}
     */
    public InputStream open() {
        return http.download(url);
    }

    /**
     * Fetches the file into {@code target} (replacing it) and returns {@code target}.
     *
     * @throws PagewireCallException as {@link #open()}
     * @throws IOException when {@code target} cannot be written
     */
    public Path saveTo(Path target) throws IOException {
        try (InputStream body = open()) {
            Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public String toString() {
        return "download " + name + " (" + type + ")";
    }
}
