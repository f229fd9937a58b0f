package dev.pagewire.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable ids and tokens, and their comparison in constant time. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** 128 random bits from {@link SecureRandom}, base64url without padding (22 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Whether {@code a} equals {@code b}, taking the same time wherever they differ (the time
     * depends on the lengths only). Compares characters, so it allocates nothing: it runs for every
     * request.
     */
    public static boolean matches(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        int n = Math.max(a.length(), b.length());
        int diff = a.length() ^ b.length();
        for (int i = 0; i < n; i++) {
            char x = i < a.length() ? a.charAt(i) : 0;
            char y = i < b.length() ? b.charAt(i) : 0;
            diff |= x ^ y;
        }
        return diff == 0;
    }
}
