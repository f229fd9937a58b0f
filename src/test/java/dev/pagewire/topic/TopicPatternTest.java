package dev.pagewire.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which topics a subscription's pattern means, which patterns a rule covers, and which names are refused. */
class TopicPatternTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "/stocks/ACME,      /stocks/ACME,        true",
            "/stocks/ACME,      /stocks/ACMEX,       false",
            "/stocks/ACME,      /stocks,             false",
            "/stocks/*,         /stocks/ACME,        true",
            "/stocks/*,         /stocks/ACME/bids,   false",
            "/stocks/*,         /stocks,             false",
            "/stocks/*,         /stock/ACME,         false",
            "/stocks/*,         /stocksX/ACME,       false",
            "/stocks/**,        /stocks/ACME,        true",
            "/stocks/**,        /stocks/ACME/bids/1, true",
            "/stocks/**,        /stocks,             false",
            "/stocks/**,        /other/ACME,         false",
            "/*/ACME,           /stocks/ACME,        true",
            "/*/ACME,           /stocks/ACMF,        false",
            "/*/*/bids,         /stocks/ACME/bids,   true",
            "/*/*/bids,         /stocks/ACME/asks,   false",
            "/*,                /chat,               true",
            "/*,                /chat/lobby,         false",
            "/**,               /chat/lobby/1,       true",
            "/chat/*/typing,    /chat/lobby/typing,  true",
            "/chat/*/typing,    /chat/lobby/x/typing, false",
    })
    void matching(String pattern, String name, boolean expected) {
        assertEquals(expected, TopicPattern.parse(pattern).matches(name));
    }

    @ParameterizedTest(name = "rule {0} covers {1}: {2}")
    @CsvSource({
            "/stocks/**,   /stocks/*,      true",
            "/stocks/**,   /stocks/**,     true",
            "/stocks/**,   /stocks/A/B,    true",
            "/stocks/**,   /stocks,        false",
            "/stocks/*,    /stocks/ACME,   true",
            "/stocks/*,    /stocks/*,      true",
            "/stocks/*,    /stocks/**,     false",
            "/stocks/*,    /stocks/A/B,    false",
            "/stocks/ACME, /stocks/*,      false",
            "/stocks/ACME, /stocks/ACME,   true",
            "/**,          /anything/*,    true",
    })
    void covering(String rule, String pattern, boolean expected) {
        assertEquals(expected, TopicPattern.parse(rule).covers(TopicPattern.parse(pattern)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "stocks", "/stocks/", "//x", "/a b", "/**/x", "/st*ck", "/a/<b>", "/x/***"})
    void refusedPatterns(String text) {
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stocks/*", "/stocks/**"})
    void namesHaveNoWildcards(String text) {
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.name(text));
    }
}
