package dev.pagewire.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a request comes from, for per-client limits: the remote address; or, when that is one of
 * the trusted proxies, the right-most {@code X-Forwarded-For} entry that is not (entries left of
 * it may be forged by the client). Addresses are compared as IP literals, so {@code ::1} and
 * {@code 0:0:0:0:0:0:0:1} are one address.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientAddresses {
    private static final int MAX_HOPS = 20;
    private static final String IPV6_LOOPBACK = normalise("::1");

    private final Set<String> trustedProxies;

    /** @param trustedProxies IP addresses of proxies whose {@code X-Forwarded-For} is believed */
    public ClientAddresses(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(ClientAddresses::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code address} is an IPv4 or IPv6 address literal, as {@code trustedProxies} takes. */
    public static boolean isIpLiteral(String address) {
        return address != null && (looksIpv4(address) || looksIpv6(address) && isIpv6(address));
    }

    /** Whether {@code address}, as {@link #of} returns it, is a loopback address. */
    static boolean isLoopback(String address) {
        return address.startsWith("127.") && looksIpv4(address) || address.equals(IPV6_LOOPBACK);
    }

    /** Whether the request comes straight from one of the trusted proxies. */
    public boolean fromTrustedProxy(HttpServletRequest request) {
        return !trustedProxies.isEmpty() && trustedProxies.contains(normalise(request.getRemoteAddr()));
    }

    /** The client's address. */
    public String of(HttpServletRequest request) {
        String remote = normalise(request.getRemoteAddr());
        if (!trustedProxies.contains(remote)) {
            return remote;
        }
        List<String> hops = forwardedFor(request);
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trustedProxies.contains(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? remote : hops.get(0);
    }

    /** The {@code X-Forwarded-For} entries, in order, the last {@value #MAX_HOPS} at most. */
    private static List<String> forwardedFor(HttpServletRequest request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(normalise(hop.trim()));
                }
            }
        }
        return hops.subList(Math.max(0, hops.size() - MAX_HOPS), hops.size());
    }

    /** IPv6 literals in one form; anything else as it is (never looked up: no name lookups here). */
    private static String normalise(String address) {
        if (address.length() > 64) {
            return address.substring(0, 64);
        }
        if (!looksIpv6(address)) {
            return address;
        }
        try {
            return InetAddress.getByName(address).getHostAddress(); // with a ':' it is parsed, never looked up
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /**
     * Four groups of one to three ASCII digits, separated by dots. A loop rather than a regular
     * expression: it runs for each new page, and the JIT compiles it in a fraction of the time.
     */
    private static boolean looksIpv4(String address) {
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
            } else if (c == '.' && digits > 0 && dots < 3) {
                dots++;
                digits = 0;
            } else {
                return false;
            }
        }
        return dots == 3 && digits > 0;
    }

    /** Hex digits, colons and dots only, with at least one colon: worth parsing as IPv6. */
    private static boolean looksIpv6(String address) {
        boolean colon = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            colon |= c == ':';
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return colon;
    }

    private static boolean isIpv6(String address) {
        try {
            return InetAddress.getByName(address) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
