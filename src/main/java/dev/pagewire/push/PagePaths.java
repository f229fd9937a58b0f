package dev.pagewire.push;

/** Page paths in one canonical form, so {@code /x/}, {@code /x/index.html} and {@code //x/} match. */
final class PagePaths {
    /** Longer paths are refused at the handshake. */
    static final int MAX_LENGTH = 2048;

    private PagePaths() {
    }

    /**
     * The canonical form of {@code path}: starts with {@code /}, no repeated slashes, no query,
     * fragment or path parameters ({@code ;jsessionid=...}), and a trailing {@code index.html} or
     * {@code index.htm} removed.
     */
    static String normalise(String path) {
        String p = path == null ? "/" : path;
        int cut = indexOfAny(p, '?', '#', ';');
        if (cut >= 0) {
            p = p.substring(0, cut);
        }
        p = singleSlashes(p);
        if (p.endsWith("/index.html") || p.endsWith("/index.htm")) {
            p = p.substring(0, p.lastIndexOf('/') + 1);
        }
        return p;
    }

    /** {@code p} with a leading slash and each run of slashes made one; {@code p} itself when it has that form. */
    private static String singleSlashes(String p) {
        boolean canonical = p.startsWith("/") && !p.contains("//");
        if (canonical) {
            return p;
        }
        StringBuilder out = new StringBuilder(p.length() + 1).append('/');
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c != '/' || out.charAt(out.length() - 1) != '/') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOfAny(String s, char a, char b, char d) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == a || c == b || c == d) {
                return i;
            }
        }
        return -1;
    }
}
