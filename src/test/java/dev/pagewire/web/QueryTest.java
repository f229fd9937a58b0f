package dev.pagewire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class QueryTest {
    @Test
    void findsTheFirstValueOfExactlyThatName() {
        String q = "sessionx=1&session=abc&token=t-_9&session=second&ack=42";
        assertEquals("abc", Query.get(q, "session"));
        assertEquals("t-_9", Query.get(q, "token"));
        assertEquals("42", Query.get(q, "ack"));
        assertEquals("1", Query.get(q, "sessionx"));
        assertNull(Query.get(q, "sess"));
        assertNull(Query.get(q, "missing"));
        assertNull(Query.get(null, "ack"));
        assertNull(Query.get("", "ack"));
    }

    @Test
    void decodesAsAFormAndTreatsBrokenEncodingAsAbsent() {
        assertEquals("a b+c/", Query.get("x=a+b%2Bc%2F", "x"));
        assertEquals("", Query.get("x=&y=1", "x"));
        assertEquals("", Query.get("y=1&x", "x"));
        assertEquals("a=b", Query.get("x=a=b", "x"));
        assertNull(Query.get("x=%zz&y=1", "x"));
        assertEquals("1", Query.get("x=%zz&y=1", "y"));
    }
}
