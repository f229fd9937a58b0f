package dev.pagewire.files;

/**
 * The limits a call carrying files must keep, with the names of the settings a refusal names.
 *
 * @param maxFileBytes  the largest file ({@code maxUploadBytes})
 * @param maxCallBytes  the most bytes of files in one call ({@code maxUploadBytesPerCall})
 * @param maxFiles      the most files in one call ({@code maxUploadFiles})
 * @param maxJsonBytes  the largest JSON part, the batch ({@code maxBodyBytes})
 */
public record UploadLimits(long maxFileBytes, long maxCallBytes, int maxFiles, long maxJsonBytes) {
    /** Room allowed per part beyond its content: its boundary and headers. */
    static final int PART_OVERHEAD = 8192;

    /** The largest request body these limits can let through. */
    long maxRequestBytes() {
        return maxJsonBytes + maxCallBytes + (long) (maxFiles + 1) * PART_OVERHEAD;
    }
}
