package dev.pagewire.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void matchesOnlyTheSameText() {
        String token = Secrets.newSecret();
        assertTrue(Secrets.matches(token, new String(token.toCharArray())));
        assertFalse(Secrets.matches(token, token.substring(0, 21)), "a prefix");
        assertFalse(Secrets.matches(token.substring(0, 21), token), "longer than the given one");
        assertFalse(Secrets.matches(token, token + "x"));
        assertFalse(Secrets.matches(token, token.substring(0, 21) + (token.charAt(21) == 'A' ? 'B' : 'A')), "last character");
        assertFalse(Secrets.matches(token, (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1)), "first character");
        assertFalse(Secrets.matches("", token));
        assertTrue(Secrets.matches("", ""));
        assertFalse(Secrets.matches(null, token));
        assertFalse(Secrets.matches(token, null));
        assertFalse(Secrets.matches("\u0100", "\u0000"), "characters beyond one byte are compared whole");
    }

    @Test
    void secretsAre22CharactersOfBase64UrlAndDiffer() {
        String a = Secrets.newSecret();
        assertEquals(22, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{22}"), a);
        assertNotEquals(a, Secrets.newSecret());
    }
}
