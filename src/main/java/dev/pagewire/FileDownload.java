package dev.pagewire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a remote method gives the page to download. The method returns it (or a {@code
 * CompletionStage} of it); the page receives an object {@code {name, type, size, url, save()}}
 * whose {@code url} serves the file once, to the same HTTP session, until {@link
 * Pagewire.Builder#downloadExpiry} has passed; {@code save()} makes the browser download it.
 *
 * <pre>{@code
 * public FileDownload export(String room) {
 *     return FileDownload.of(reports.csvFile(room), "room.csv", "text/csv");
 * }
 * }</pre>
 *
 * The server streams it when the page asks for the URL (nothing is read before): a {@link Path}
 * with its length and {@code Range} requests, or any stream the {@link Opener} opens, then closed.
 * Immutable and thread-safe.
 */
public final class FileDownload {
    /** Opens the content of a download when the page asks for it; called at most once per request. */
    @FunctionalInterface
    public interface Opener {
        /** A new stream over the whole content; the server closes it. */
        InputStream open() throws IOException;
    }

    private final String name;
    private final String type;
    private final long length;
    private final Path path;
    private final Opener opener;

    private FileDownload(String name, String type, long length, Path path, Opener opener) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.length = length;
        this.path = path;
        this.opener = opener;
    }

    /**
     * The file at {@code path}, offered under {@code name} as {@code type}; its length is read
     * now, and its content when the page downloads it (with {@code Range} requests served).
     *
     * @throws IOException when the file cannot be read now
     */
    public static FileDownload of(Path path, String name, String type) throws IOException {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "not a readable file");
        }
        return new FileDownload(name, type, Files.size(path), path, null);
    }

    /** The file at {@code path} under its own name, as {@code application/octet-stream}. */
    public static FileDownload of(Path path) throws IOException {
        return of(path, path.getFileName().toString(), "application/octet-stream");
    }

    /**
     * Content that {@code opener} opens when the page downloads it, under {@code name} as {@code
     * type}; {@code length} in bytes, or {@code -1} when unknown (it is then sent chunked, and
     * the page's {@code size} is {@code null}). A stream is sent whole: {@code Range} requests
     * are answered with the whole content.
     */
    public static FileDownload of(String name, String type, long length, Opener opener) {
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or more, was " + length);
        }
        return new FileDownload(name, type, length, null, Objects.requireNonNull(opener, "opener"));
    }

    /** The name the browser saves it under (the server cleans it for the header). */
    public String name() {
        return name;
    }

    /** The media type it is sent as. */
    public String type() {
        return type;
    }

    /** Its length in bytes, or {@code -1} when unknown. */
    public long length() {
        return length;
    }

    /** The file it is read from, or {@code null} for content from an {@link Opener}. */
    public Path path() {
        return path;
    }

    /** Opens the whole content. */
    public InputStream open() throws IOException {
        return path != null ? Files.newInputStream(path) : opener.open();
    }
}
