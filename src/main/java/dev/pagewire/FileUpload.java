package dev.pagewire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A file a page sent as an argument of a call: a {@code File} or {@code Blob} passed to a proxy
 * function like any other value. A remote method declares a parameter of this type (or {@code
 * FileUpload[]}, {@code List<FileUpload>}), mixed with other parameters:
 *
 * <pre>{@code
 * public String attach(String room, FileUpload file) throws IOException {
 *     file.transferTo(storage.resolve(UUID.randomUUID().toString()));
 *     return file.name() + " (" + file.size() + " bytes)";
 * }
 * }</pre>
 *
 * The engine sends such a call as {@code multipart/form-data}, with upload progress; the server
 * writes each file to a temporary file while it reads the request (never holding a whole file in
 * memory), checks the upload limits ({@link Pagewire.Builder#maxUploadBytes}, {@link
 * Pagewire.Builder#maxUploadBytesPerCall}, {@link Pagewire.Builder#maxUploadFiles}) and then runs
 * the call as any other. The temporary file is deleted when the call has finished (for a method
 * returning a {@code CompletionStage}, when its stage completes, or when the batch's time budget
 * runs out), so read or move it before.
 *
 * <p>Not thread-safe: one call reads it, once.
 */
public interface FileUpload {
    /**
     * The file's name as the browser sent it, without any folder part ({@code "report.pdf"});
     * {@code "blob"} for a {@code Blob} without a name. Chosen by the user or the page: never use
     * it as a path on the server as it is.
     */
    String name();

    /** The media type the browser sent ({@code "image/png"}), or {@code application/octet-stream}. */
    String type();

    /** The file's size in bytes, as received. */
    long size();

    /**
     * The file's content, from the start. It may be opened once.
     *
     * @throws IllegalStateException when it was opened or transferred already
     */
    InputStream inputStream() throws IOException;

    /**
     * Moves the file to {@code target} (a rename when the temporary folder is on the same file
     * system, a copy otherwise), which must not exist yet.
     *
     * @throws IllegalStateException when it was opened or transferred already
     * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
     */
    void transferTo(Path target) throws IOException;
}
