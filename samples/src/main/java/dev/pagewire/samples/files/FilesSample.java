package dev.pagewire.samples.files;

import dev.pagewire.Pagewire;
import dev.pagewire.samples.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A file drop: uploads with progress, downloads by one-time URL; files up to 10 MB, in a folder removed at stop. */
public final class FilesSample implements Sample {
    /** Largest file the samples server takes. */
    static final long MAX_FILE_BYTES = 10L << 20;
    private Path folder;

    @Override
    public void configure(Pagewire.Builder builder) {
        try {
            folder = Files.createTempDirectory("pagewire-samples-files-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.expose(new Drop(folder)).maxUploadBytes(MAX_FILE_BYTES).maxUploadBytesPerCall(MAX_FILE_BYTES);
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            System.getLogger("dev.pagewire.samples").log(System.Logger.Level.WARNING, "could not remove " + folder, e);
        }
    }
}
