package dev.pagewire.testing;

import dev.pagewire.Pagewire;
import dev.pagewire.embed.PagewireServer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The program a {@link NodeProcess} runs by default: a Pagewire node exposing {@link Ping} and
 * {@link NodeName} on a free port of localhost. It prints {@code port=N} on stdout once it listens,
 * then runs until its stdin ends (the test closed it, or the test's JVM died), and stops.
 *
 * <p>Arguments: the node's name, answered by {@code NodeName.name()} ({@code "node"} when none).
 */
public final class NodeMain {
    private NodeMain() {
    }

    /** Runs a node; see the class description. */
    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "node";
        serve(Pagewire.builder().expose(new Ping()).expose(new NodeName(name)).build());
    }

    /**
     * Serves {@code pagewire} on a free port as a {@link NodeProcess} expects: prints
     * {@code port=N}, runs until stdin ends (the test closed it, or its JVM died), then stops. For
     * other modules' node programs too.
     */
    public static void serve(Pagewire pagewire) throws IOException {
        serve(PagewireServer.create(pagewire));
    }

    /** As {@link #serve(Pagewire)}, for a launcher configured further (static files). */
    public static void serve(PagewireServer launcher) throws IOException {
        PagewireServer server = launcher.start(0);
        System.out.println("port=" + server.port());
        System.out.flush();
        System.in.transferTo(OutputStream.nullOutputStream()); // returns when the parent is gone
        server.stop();
        System.exit(0);
    }
}
