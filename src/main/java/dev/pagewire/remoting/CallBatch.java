package dev.pagewire.remoting;

import dev.pagewire.FileUpload;
import java.util.List;

/**
 * A decoded {@code POST call} body.
 *
 * @param calls  the calls, in the order the page made them
 * @param ack    the number of the last update the page applied, or {@code -1} when not sent
 * @param number the page's number for this batch ({@code "batch"}), so that a batch sent twice
 *               runs once; {@code -1} when not sent
 * @param files  the files a multipart call carried, which arguments {@code {"$file": i}} name; empty for JSON
 */
public record CallBatch(List<Call> calls, long ack, long number, List<FileUpload> files) {
    /** A batch without files. */
    public CallBatch(List<Call> calls, long ack, long number) {
        this(calls, ack, number, List.of());
    }

    /** The same batch with {@code files}. */
    public CallBatch withFiles(List<FileUpload> files) {
        return new CallBatch(calls, ack, number, List.copyOf(files));
    }
}
