package dev.pagewire.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's nginx ({@code /usr/sbin/nginx}) running the project's {@code docs/cluster/nginx.conf}
 * with free ports, as a {@link ProxyProcess}: {@code nginx -p <folder> -e stderr -c <rendered file>
 * -g 'daemon off; pid <folder>/nginx.pid;'}, a master and its workers in the foreground. The
 * shipped file's logs and temporary files are relative to the prefix ({@code -p}), so they land in
 * the proxy's folder and no root is needed.
 *
 * <pre>{@code
 * @AutoClose ProxyProcess proxy = Nginx.start(nodeA.port(), nodeB.port());
 * }</pre>
 */
public final class Nginx {
    /** The configuration the project ships, relative to the top folder (the tests' working directory). */
    public static final Path SHIPPED_CONFIG = Path.of("docs/cluster/nginx.conf");
    private static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final ProxyProcess.Program PROGRAM = new ProxyProcess.Program("nginx", BINARY, SHIPPED_CONFIG,
            Nginx::commandLine);

    private Nginx() {
    }

    /**
     * Starts nginx in front of the nodes on {@code nodeA} and {@code nodeB} (the same port twice
     * for one node) and returns once it accepts connections.
     *
     * @throws IllegalStateException when {@code nginx} is not installed
     */
    public static ProxyProcess start(int nodeA, int nodeB) {
        return ProxyProcess.start(PROGRAM, nodeA, nodeB);
    }

    /**
     * Checks {@code config} with {@code nginx -t} (its logs and temporary files in a folder of its
     * own) and returns what it said.
     *
     * @throws AssertionError when nginx finds it invalid
     */
    public static String check(Path config) {
        return ProxyProcess.check(PROGRAM, dir -> commandLine(dir, config, "-t"));
    }

    /** {@code nginx [options] -p dir -e stderr -c config -g 'daemon off; pid dir/nginx.pid;'}. */
    private static List<String> commandLine(Path dir, Path config, String... options) {
        List<String> line = new ArrayList<>();
        line.add(BINARY.toString());
        line.addAll(List.of(options));
        line.addAll(List.of("-p", dir.toString(), "-e", "stderr", "-c", config.toAbsolutePath().toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";"));
        return line;
    }
}
