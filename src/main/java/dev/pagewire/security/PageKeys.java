package dev.pagewire.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Page tokens and browser cookies that any node can check without remembering anything: each is
 * an HMAC-SHA256 under a key shared by the nodes ({@link dev.pagewire.spi.PageStore#secret()}).
 *
 * <p>The browser cookie ({@value #COOKIE}, HttpOnly, SameSite=Lax, Secure over HTTPS, path the
 * mount) holds {@code v1.<browser key>.<mac>}: a random browser key, signed. A page's token is
 * the MAC of its id and its browser's key, so a token is worth nothing without the cookie of the
 * browser it was made for, and a cookie alone opens no page.
 *
 * <p>Thread-safe: each MAC is computed on a clone of one initialised {@link Mac} (they are not
 * thread-safe, and making one costs more than cloning it).
 */
public final class PageKeys {
    /** The browser cookie's name. */
    public static final String COOKIE = "pagewire";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Mac prototype; // a Mac is not thread-safe: each use has a clone (cheaper than a new one)

    /** @param secret at least 32 bytes, the same on every node */
    public PageKeys(byte[] secret) {
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("the page key secret needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.prototype = newMac();
    }

    /** The token of page {@code pageId} made by browser {@code browser}. */
    public String token(String pageId, String browser) {
        return mac("pwt|" + pageId + "|" + browser, 32);
    }

    /** The browser key in the request's cookie, if the cookie is there and its MAC is right; otherwise {@code null}. */
    public String browser(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())) {
                String b = verified(c.getValue());
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /** A new browser key, sent to the browser in the cookie, scoped to {@code path} (where pages reach Pagewire). */
    public String newBrowser(HttpServletRequest request, HttpServletResponse response, String path) {
        String browser = Secrets.newSecret();
        StringBuilder header = new StringBuilder(COOKIE).append("=v1.").append(browser).append('.')
                .append(mac("pwb|" + browser, 16)).append("; Path=").append(path.isEmpty() ? "/" : path)
                .append("; HttpOnly; SameSite=Lax");
        if (request.isSecure()) {
            header.append("; Secure");
        }
        response.addHeader("Set-Cookie", header.toString());
        return browser;
    }

    /**
     * The browser key the request's cookie names, its MAC not checked (cheap): only for
     * comparison with a key this node already trusts.
     */
    public static String claimedBrowser(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            String value = c.getValue();
            if (COOKIE.equals(c.getName()) && value != null && value.startsWith("v1.")) {
                int dot = value.indexOf('.', 3);
                return dot < 0 ? null : value.substring(3, dot);
            }
        }
        return null;
    }

    private String verified(String value) {
        if (value == null || !value.startsWith("v1.")) {
            return null;
        }
        int dot = value.indexOf('.', 3);
        if (dot < 0) {
            return null;
        }
        String browser = value.substring(3, dot);
        return Secrets.matches(value.substring(dot + 1), mac("pwb|" + browser, 16)) ? browser : null;
    }

    private String mac(String message, int bytes) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac(); // a provider whose Mac cannot be cloned
        }
        byte[] full = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        return ENCODER.encodeToString(bytes == full.length ? full : Arrays.copyOf(full, bytes));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
