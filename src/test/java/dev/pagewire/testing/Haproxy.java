package dev.pagewire.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * Debian's HAProxy ({@code /usr/sbin/haproxy}) running the project's {@code docs/cluster/haproxy.cfg}
 * with free ports, as a {@link ProxyProcess}: {@code haproxy -f <rendered file>}, in the foreground
 * (the shipped file has no {@code daemon}, {@code user} or {@code chroot} line) and logging to stderr.
 *
 * <pre>{@code
 * @AutoClose ProxyProcess proxy = Haproxy.start(nodeA.port(), nodeB.port());
 * }</pre>
 */
public final class Haproxy {
    /** The configuration the project ships, relative to the top folder (the tests' working directory). */
    public static final Path SHIPPED_CONFIG = Path.of("docs/cluster/haproxy.cfg");
    private static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final ProxyProcess.Program PROGRAM = new ProxyProcess.Program("haproxy", BINARY, SHIPPED_CONFIG,
            (dir, config) -> List.of(BINARY.toString(), "-f", config.toString()));

    private Haproxy() {
    }

    /**
     * Starts HAProxy in front of the nodes on {@code nodeA} and {@code nodeB} (the same port twice
     * for one node) and returns once it accepts connections.
     *
     * @throws IllegalStateException when {@code haproxy} is not installed
     */
    public static ProxyProcess start(int nodeA, int nodeB) {
        return ProxyProcess.start(PROGRAM, nodeA, nodeB);
    }

    /**
     * Checks {@code config} with {@code haproxy -c} and returns what it said.
     *
     * @throws AssertionError when HAProxy finds it invalid
     */
    public static String check(Path config) {
        return ProxyProcess.check(PROGRAM, dir -> List.of(BINARY.toString(), "-c", "-f", config.toString()));
    }
}
