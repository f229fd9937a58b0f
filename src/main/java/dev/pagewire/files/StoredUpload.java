package dev.pagewire.files;

import dev.pagewire.FileUpload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link FileUpload} held in a temporary file until its call has finished. Not thread-safe:
 * the call's thread reads it; {@link #delete()} runs once the call is over.
 */
final class StoredUpload implements FileUpload {
    private final String name;
    private final String type;
    private final Path file;
    private long size;
    private boolean taken;

    StoredUpload(String name, String type, Path file) {
        this.name = name;
        this.type = type;
        this.file = file;
    }

    void setSize(long size) {
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream inputStream() throws IOException {
        take();
        return Files.newInputStream(file);
    }

    @Override
    public void transferTo(Path target) throws IOException {
        take();
        Files.move(file, target);
    }

    private void take() {
        if (taken) {
            throw new IllegalStateException("the upload " + name + " was read or transferred already");
        }
        taken = true;
    }

    /** Deletes the temporary file, if it is still there (a transferred one is not). */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.getLogger("dev.pagewire.files").log(System.Logger.Level.WARNING,
                    "could not delete the upload's temporary file " + file + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "FileUpload[" + name + ", " + type + ", " + size + " bytes]";
    }
}
