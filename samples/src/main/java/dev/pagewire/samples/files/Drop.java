package dev.pagewire.samples.files;

import dev.pagewire.ClientVisible;
import dev.pagewire.FileDownload;
import dev.pagewire.FileUpload;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A file drop: pages upload files ({@link FileUpload} arguments, with progress) and download them
 * again ({@link FileDownload} results). The latest {@value #MAX_FILES} files are kept, in a
 * temporary folder of this node, and every visitor sees them.
 *
 * <p>Thread-safe: calls of several pages run at once; the list is guarded by its own lock.
 */
@RemoteProxy
public class Drop {
    /** Files kept; the oldest goes when another comes. */
    static final int MAX_FILES = 20;

    private final Path folder;
    private final Map<String, Stored> files = new LinkedHashMap<>(); // oldest first

    /** A file kept: its id (the name of its file in the folder), its name, type and size. */
    public record Stored(String id, String name, String type, long size) {
    }

    Drop(Path folder) {
        this.folder = folder;
    }

    /** Keeps {@code file} (moved out of Pagewire's temporary file into the drop's folder). */
    @RemoteMethod
    public Stored store(FileUpload file) throws IOException {
        String id = UUID.randomUUID().toString();
        file.transferTo(folder.resolve(id));
        Stored stored = new Stored(id, file.name(), file.type(), file.size());
        List<Stored> dropped = new ArrayList<>();
        synchronized (files) {
            files.put(id, stored);
            while (files.size() > MAX_FILES) {
                Stored oldest = files.values().iterator().next();
                files.remove(oldest.id());
                dropped.add(oldest);
            }
        }
        for (Stored old : dropped) {
            Files.deleteIfExists(folder.resolve(old.id()));
        }
        return stored;
    }

    /** The files kept, newest first. */
    @RemoteMethod
    public List<Stored> list() {
        synchronized (files) {
            List<Stored> all = new ArrayList<>(files.values());
            java.util.Collections.reverse(all);
            return all;
        }
    }

    /** A one-time download of the file {@code id}. */
    @RemoteMethod
    public FileDownload fetch(String id) throws IOException, DropException {
        Stored stored;
        synchronized (files) {
            stored = files.get(id);
        }
        if (stored == null) {
            throw new DropException("no such file (only the latest " + MAX_FILES + " are kept)");
        }
        return FileDownload.of(folder.resolve(stored.id()), stored.name(), stored.type());
    }

    /** A failure the page may show. */
    @ClientVisible
    public static class DropException extends Exception {
        private static final long serialVersionUID = 1L;

        public DropException(String message) {
            super(message);
        }
    }
}
