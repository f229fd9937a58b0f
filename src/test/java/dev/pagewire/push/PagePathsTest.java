package dev.pagewire.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PagePathsTest {
    @Test
    void oneCanonicalFormPerPage() {
        assertEquals("/chat/", PagePaths.normalise("/chat/"));
        assertEquals("/chat/", PagePaths.normalise("/chat/index.html"));
        assertEquals("/chat/", PagePaths.normalise("//chat//index.htm"));
        assertEquals("/chat/", PagePaths.normalise("/chat/?room=1#top"));
        assertEquals("/chat/", PagePaths.normalise("/chat/;jsessionid=ABC123"), "URL rewriting is not another page");
        assertEquals("/chat/room.html", PagePaths.normalise("/chat/room.html;jsessionid=x?y"));
        assertEquals("/", PagePaths.normalise(null));
        assertEquals("/", PagePaths.normalise(""));
        assertEquals("/", PagePaths.normalise("///"));
        assertEquals("/a/b/", PagePaths.normalise("a///b//"));
        assertEquals("/a/b", PagePaths.normalise("a/b"));
    }

    @Test
    void aCanonicalPathComesBackAsTheSameString() {
        String path = "/chat/room.html";
        assertSame(path, PagePaths.normalise(path), "no copy for a path already in canonical form");
    }
}
