package dev.pagewire.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/** Checks and opens JSON request bodies within the configured size limit. */
public final class Bodies {
    private Bodies() {
    }

    /**
     * Returns a reader over the JSON body, after checking its content type and declared length.
     *
     * @throws Refusal 415 when the body is not {@code application/json}, 413 when it is (or turns
     *                 out, while reading, to be) larger than {@code maxBytes}
     */
    public static Reader openJson(HttpServletRequest request, long maxBytes) throws IOException {
        byte[] small = readSmallJson(request, maxBytes);
        if (small != null) {
            return new StringReader(new String(small, StandardCharsets.UTF_8));
        }
        return new InputStreamReader(new BoundedInputStream(request.getInputStream(), maxBytes),
                StandardCharsets.UTF_8);
    }

    /**
     * The whole JSON body when it is small (up to 4,096 bytes) and of declared length (most
     * calls, every poll and ack), after the checks of {@link #openJson}; {@code null} for a larger
     * body or one without a declared length, which the caller then reads through
     * {@link #openJson}. Reading it whole spares the 8 KB buffer of a stream decoder.
     *
     * @throws Refusal 415 when the body is not {@code application/json}, 413 when its declared
     *                 length exceeds {@code maxBytes}
     */
    public static byte[] readSmallJson(HttpServletRequest request, long maxBytes) throws IOException {
        requireJson(request);
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (declared >= 0 && declared <= SMALL_BODY) {
            return request.getInputStream().readNBytes((int) declared);
        }
        return null;
    }

    /** Bodies up to this many bytes, of declared length, are read whole. */
    private static final int SMALL_BODY = 4096;

    /** {@code in}, refusing the request with 413 once more than {@code maxBytes} have been read. */
    public static java.io.InputStream limited(java.io.InputStream in, long maxBytes) {
        return new BoundedInputStream(in, maxBytes);
    }

    /** @throws Refusal 415 unless the request's content type is {@code application/json} */
    public static void requireJson(HttpServletRequest request) {
        String type = request.getContentType();
        if (!isJson(type)) {
            throw new Refusal(415, "UNSUPPORTED_MEDIA_TYPE",
                    "expected Content-Type application/json, got " + (type == null ? "none" : clip(type)));
        }
    }

    /** {@code application/json}, in any case, alone or before {@code ;} parameters, spaces around; allocates nothing. */
    static boolean isJson(String type) {
        if (type == null) {
            return false;
        }
        int start = 0;
        int end = type.length();
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            end = semicolon;
        }
        while (start < end && Character.isWhitespace(type.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(type.charAt(end - 1))) {
            end--;
        }
        String json = "application/json";
        return end - start == json.length() && type.regionMatches(true, start, json, 0, json.length());
    }

    static Refusal tooLarge(long maxBytes) {
        return new Refusal(413, "PAYLOAD_TOO_LARGE", "request body exceeds " + maxBytes + " bytes");
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
