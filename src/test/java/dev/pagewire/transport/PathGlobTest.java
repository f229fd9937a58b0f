package dev.pagewire.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Delivery rules' path patterns: {@code *} within a segment, {@code **} across, the rest literal. */
class PathGlobTest {
    @Test
    void starsMatchWithinOrAcrossSegmentsAndTheRestIsLiteral() {
        assertTrue(new PathGlob("/ticker/**").matches("/ticker/"));
        assertTrue(new PathGlob("/ticker/**").matches("/ticker/a/b/c.html"));
        assertFalse(new PathGlob("/ticker/**").matches("/tickers/"));
        assertTrue(new PathGlob("/news/*").matches("/news/today"));
        assertTrue(new PathGlob("/news/*").matches("/news/"));
        assertFalse(new PathGlob("/news/*").matches("/news/a/b"));
        assertTrue(new PathGlob("/*/chat").matches("/room/chat"));
        assertFalse(new PathGlob("/*/chat").matches("/a/b/chat"));
        assertTrue(new PathGlob("/**/chat").matches("/a/b/chat"));
        assertTrue(new PathGlob("/**").matches("/"));
        assertTrue(new PathGlob("/a.b+(c)?[d]$").matches("/a.b+(c)?[d]$"));
        assertFalse(new PathGlob("/a.b").matches("/axb"));
        assertTrue(new PathGlob("/exact").matches("/exact"));
        assertFalse(new PathGlob("/exact").matches("/exact/"));
        assertFalse(new PathGlob("/exact").matches("/exac"));
        assertTrue(new PathGlob("/a/**/b/*.html").matches("/a/x/y/b/page.html"));
        assertFalse(new PathGlob("/a/**/b/*.html").matches("/a/x/y/b/c/page.html"));
    }

    /** Against the regular expression the patterns were once translated to, on random patterns and paths. */
    @Test
    void agreesWithTheRegularExpressionOfEachPattern() {
        Random random = new Random(17);
        String patternChars = "/ab.**";
        String pathChars = "/ab.";
        for (int round = 0; round < 20_000; round++) {
            String pattern = "/" + randomText(random, patternChars, 7);
            String path = "/" + randomText(random, pathChars, 9);
            assertEquals(regexOf(pattern).matcher(path).matches(), new PathGlob(pattern).matches(path),
                    () -> pattern + " against " + path);
        }
    }

    @Test
    void manyStarsAgainstALongPathThatAlmostMatchesStillAnswer() {
        String path = "/" + "a".repeat(20_000); // a regular expression would backtrack for years
        assertFalse(new PathGlob("/*a*a*a*a*a*a*a*a*a*a*b").matches(path));
        assertTrue(new PathGlob("/*a*a*a*a*a*a*a*a*a*a*").matches(path));
    }

    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static Pattern regexOf(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                r.append(".*");
                i++;
            } else if (c == '*') {
                r.append("[^/]*");
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(r.toString());
    }
}
