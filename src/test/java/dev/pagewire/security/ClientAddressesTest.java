package dev.pagewire.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which addresses count as IP literals and as loopback. */
class ClientAddressesTest {
    @Test
    void ipLiteralsAndLoopback() {
        assertTrue(ClientAddresses.isIpLiteral("10.0.0.1"));
        assertTrue(ClientAddresses.isIpLiteral("::1"));
        assertTrue(ClientAddresses.isIpLiteral("fe80::1"));
        assertTrue(ClientAddresses.isIpLiteral("::ffff:10.0.0.1"));
        assertFalse(ClientAddresses.isIpLiteral("proxy.local"));
        assertFalse(ClientAddresses.isIpLiteral("10.0.0"));
        assertFalse(ClientAddresses.isIpLiteral("10.0.0.1.2"));
        assertFalse(ClientAddresses.isIpLiteral("1000.0.0.1"));
        assertFalse(ClientAddresses.isIpLiteral("10..0.1"));
        assertFalse(ClientAddresses.isIpLiteral(""));
        assertTrue(ClientAddresses.isLoopback("127.0.0.1"));
        assertTrue(ClientAddresses.isLoopback("127.1.2.3"));
        assertFalse(ClientAddresses.isLoopback("127.0.0.1.evil"));
        assertFalse(ClientAddresses.isLoopback("128.0.0.1"));
    }

    /** Against the regular expressions the checks once were, on random strings of address characters. */
    @Test
    void agreesWithTheRegularExpressionsItReplaced() {
        Pattern ipv4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
        Pattern ipv6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
        Random random = new Random(5);
        String alphabet = "0123456789..::afAFgx\u0661";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(16); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String address = s.toString();
            boolean expected = ipv4.matcher(address).matches() || ipv6.matcher(address).matches() && parses(address);
            assertEquals(expected, ClientAddresses.isIpLiteral(address), address);
        }
    }

    private static boolean parses(String address) {
        try {
            return InetAddress.getByName(address) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
