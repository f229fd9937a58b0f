package dev.pagewire.transport;

import java.util.Arrays;

/**
 * A delivery rule's path pattern: {@code *} matches any characters but {@code /}, {@code **} any
 * characters at all, every other character itself. Matched in one pass over the path, keeping
 * the set of pattern steps reached, without backtracking: no pattern or path makes it slow (the
 * time is at most the path's length times the pattern's). Immutable and thread-safe.
 *
 * <p>It replaces a regular expression compiled from the pattern. Matched for each new page, as the
 * client-address checks were, regular expressions made a fresh server's JIT compiler spend 0.7 s
 * on the regular expression engine while its first pages arrived, on the same cores
 * ({@code bench/results/2026-12-04-1505-push-comet-c2-before-measured-broadcast.txt}).
 */
final class PathGlob {
    private static final byte CHAR = 0;
    private static final byte STAR = 1;
    private static final byte GLOBSTAR = 2;

    /** Each step: a character to match ({@link #CHAR}), or a star of either kind. */
    private final byte[] kinds;
    private final char[] chars;

    PathGlob(String pattern) {
        int n = 0;
        byte[] k = new byte[pattern.length()];
        char[] c = new char[pattern.length()];
        for (int i = 0; i < pattern.length(); i++, n++) {
            char ch = pattern.charAt(i);
            if (ch != '*') {
                k[n] = CHAR;
                c[n] = ch;
            } else if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                k[n] = GLOBSTAR;
                i++;
            } else {
                k[n] = STAR;
            }
        }
        this.kinds = Arrays.copyOf(k, n);
        this.chars = Arrays.copyOf(c, n);
    }

    /** Whether the whole of {@code path} matches. */
    boolean matches(String path) {
        int n = kinds.length;
        boolean[] now = new boolean[n + 1]; // now[i]: the path read so far matches the first i steps
        boolean[] next = new boolean[n + 1];
        now[0] = true;
        passEmptyStars(now);
        for (int p = 0; p < path.length(); p++) {
            char c = path.charAt(p);
            Arrays.fill(next, false);
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (!now[i]) {
                    continue;
                }
                if (kinds[i] == GLOBSTAR || kinds[i] == STAR && c != '/') {
                    next[i] = any = true; // the star takes c, and may take more
                } else if (kinds[i] == CHAR && chars[i] == c) {
                    next[i + 1] = any = true;
                }
            }
            if (!any) {
                return false;
            }
            passEmptyStars(next);
            boolean[] read = now;
            now = next;
            next = read;
        }
        return now[n];
    }

    /** A star may match nothing: reaching the step of one reaches the step after it too. */
    private void passEmptyStars(boolean[] reached) {
        for (int i = 0; i < kinds.length; i++) {
            if (reached[i] && kinds[i] != CHAR) {
                reached[i + 1] = true;
            }
        }
    }
}
