package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** What the cluster tests rely on: connections alternate between nodes, and can be cut. */
class BalancerTest {
    @AutoClose
    TestServer a = TestServer.start(Pagewire.builder().expose(new NodeName("a")));
    @AutoClose
    TestServer b = TestServer.start(Pagewire.builder().expose(new NodeName("b")));
    @AutoClose
    Balancer balancer = Balancer.start(a.port(), b.port());

    @Test
    void newConnectionsAlternateBetweenTheBackends() {
        List<String> names = Stream.generate(this::nameOverNewConnection).limit(4).toList();

        assertEquals(List.of("a", "b", "a", "b"), names, "each page's handshake and call share one connection");
        assertEquals(2, balancer.connections(a.port()));
        assertEquals(2, balancer.connections(b.port()));
        assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("balancer-"))
                .allMatch(Thread::isDaemon), "the balancer's threads do not keep a JVM alive");
    }

    @Test
    void cutAllFailsAnOpenConnectionAndNewOnesWork() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), balancer.port())) {
            assertEquals(200, getProxyScript(socket));
            assertEquals(200, getProxyScript(socket), "a keep-alive connection");
            assertEquals(1, balancer.openConnections());

            balancer.cutAll();

            assertThrows(IOException.class, () -> getProxyScript(socket));
        }
        assertEquals("b", nameOverNewConnection());
    }

    @Test
    void cutOfOneBackendLeavesTheOthersConnectionsOpen() throws IOException {
        try (Socket toA = new Socket(InetAddress.getLoopbackAddress(), balancer.port());
                Socket toB = new Socket(InetAddress.getLoopbackAddress(), balancer.port())) {
            assertEquals(200, getProxyScript(toA));
            assertEquals(200, getProxyScript(toB));

            balancer.cut(a.port());

            assertThrows(IOException.class, () -> getProxyScript(toA));
            assertEquals(200, getProxyScript(toB));
        }
    }

    @Test
    void aRemovedBackendGetsNoMoreConnections() {
        balancer.remove(a.port());

        assertEquals(List.of("b", "b"), List.of(nameOverNewConnection(), nameOverNewConnection()));
        assertEquals(0, balancer.connections(a.port()));
        assertEquals(List.of(b.port()), balancer.backends());
    }

    @Test
    void aStoppedBackendIsSkipped() {
        int stopped;
        try (TestServer c = TestServer.start(Pagewire.builder().expose(new NodeName("c")))) {
            stopped = c.port();
        }
        balancer.add(stopped);

        assertEquals(List.of("a", "b", "a"),
                List.of(nameOverNewConnection(), nameOverNewConnection(), nameOverNewConnection()),
                "the third connection, refused by the stopped backend, goes to the next one");
        assertEquals(0, balancer.connections(stopped));
    }

    /** A new page, with a client of its own (so a connection of its own), asks which node it reached. */
    private String nameOverNewConnection() {
        PageClient page = new PageClient(balancer.port());
        page.handshake("/");
        return page.call("NodeName", "name").get("result").getAsString();
    }

    /** One keep-alive GET of the proxy script on {@code socket}; returns the status. */
    private int getProxyScript(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /pagewire/interface/NodeName.js HTTP/1.1\r\nHost: localhost:"
                + balancer.port() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        int status = Integer.parseInt(RawHttp.readLine(in).split(" ")[1]);
        int length = 0;
        for (String line = RawHttp.readLine(in); !line.isEmpty(); line = RawHttp.readLine(in)) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }
}
