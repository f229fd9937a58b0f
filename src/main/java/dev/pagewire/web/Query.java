package dev.pagewire.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one parameter from a raw query string. The stream request is parked for minutes with its
 * query (page, token, ack): parsed by the container, each parameter would hold a map entry,
 * a list and two strings for the whole time.
 */
public final class Query {
    private Query() {
    }

    /**
     * The first value of {@code name} in {@code query} (form-decoded), or {@code null} when it is
     * absent or its encoding is malformed, as servlet containers treat such a parameter.
     */
    public static String get(String query, String name) {
        if (query == null) {
            return null;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int eq = query.indexOf('=', start);
            int nameEnd = eq < 0 || eq > end ? end : eq;
            if (query.regionMatches(start, name, 0, name.length()) && nameEnd - start == name.length()) {
                String raw = nameEnd == end ? "" : query.substring(nameEnd + 1, end);
                try {
                    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
            start = end + 1;
        }
        return null;
    }
}
