package dev.pagewire.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
        requireJson(request);
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new InputStreamReader(new BoundedInputStream(request.getInputStream(), maxBytes),
                StandardCharsets.UTF_8);
    }

    /** {@code in}, refusing the request with 413 once more than {@code maxBytes} have been read. */
    public static java.io.InputStream limited(java.io.InputStream in, long maxBytes) {
        return new BoundedInputStream(in, maxBytes);
    }

    /** @throws Refusal 415 unless the request's content type is {@code application/json} */
    public static void requireJson(HttpServletRequest request) {
        String type = request.getContentType();
        String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw new Refusal(415, "UNSUPPORTED_MEDIA_TYPE",
                    "expected Content-Type application/json, got " + (type == null ? "none" : clip(type)));
        }
    }

    static Refusal tooLarge(long maxBytes) {
        return new Refusal(413, "PAYLOAD_TOO_LARGE", "request body exceeds " + maxBytes + " bytes");
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
