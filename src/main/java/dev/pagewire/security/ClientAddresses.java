package dev.pagewire.security;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final int MAX_HOPS = 20;
    private static final String IPV6_LOOPBACK = normalise("::1");

    private final Set<String> trustedProxies;

    /** @param trustedProxies IP addresses of proxies whose {@code X-Forwarded-For} is believed */
    public ClientAddresses(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().map(ClientAddresses::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code address} is an IPv4 or IPv6 address literal, as {@code trustedProxies} takes. */
    public static boolean isIpLiteral(String address) {
        return address != null && (IPV4.matcher(address).matches() || IPV6.matcher(address).matches() && isIpv6(address));
    }

    /** Whether {@code address}, as {@link #of} returns it, is a loopback address. */
    static boolean isLoopback(String address) {
        return address.startsWith("127.") && IPV4.matcher(address).matches() || address.equals(IPV6_LOOPBACK);
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
        if (!IPV6.matcher(address).matches()) {
            return address;
        }
        try {
            return InetAddress.getByName(address).getHostAddress(); // with a ':' it is parsed, never looked up
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static boolean isIpv6(String address) {
        try {
            return InetAddress.getByName(address) != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
