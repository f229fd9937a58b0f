package dev.pagewire.files;

import dev.pagewire.FileUpload;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a {@code multipart/form-data} call brought: the batch's JSON and its files, in temporary
 * files until {@link #delete()}. Made and read on the request's thread; deleted by whichever
 * thread finishes the call (the request's, or the one completing its last stage).
 */
public final class Uploads {
    private final byte[] json;
    private final List<StoredUpload> files;

    Uploads(byte[] json, List<StoredUpload> files) {
        this.json = json;
        this.files = List.copyOf(files);
    }

    /** The batch, as {@code POST call}'s JSON body. */
    public Reader json() {
        return new StringReader(new String(json, StandardCharsets.UTF_8));
    }

    /** The files, in the order of their parts: argument {@code {"$file": i}} is {@code files().get(i)}. */
    public List<FileUpload> files() {
        return List.copyOf(files);
    }

    /** Deletes every temporary file still there. */
    public void delete() {
        for (StoredUpload file : files) {
            file.delete();
        }
    }
}
