package dev.pagewire.script;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A generated resource: its bytes, media type and strong ETag (a hash of the bytes). */
public record Script(byte[] body, String contentType, String etag) {
    static Script of(String text, String contentType) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return new Script(body, contentType, etag(body));
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
