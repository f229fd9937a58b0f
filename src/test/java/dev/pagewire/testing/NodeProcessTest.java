package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the cluster's fault tests rely on: nodes in JVMs of their own, one of which can really die. */
class NodeProcessTest {
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void aKilledNodeRefusesConnectionsAtOnceWhileTheOtherAnswers() {
        NodeProcess one = start("one");
        NodeProcess two = start("two");
        PageClient pageOfOne = page(one);
        PageClient pageOfTwo = page(two);
        assertEquals("one", name(pageOfOne));
        assertEquals("two", name(pageOfTwo));

        one.kill();

        assertFalse(one.isRunning());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), one.port()).close(),
                "nothing listens on the port of a killed node");
        assertEquals("two", name(pageOfTwo), two.log());
        assertTrue(two.isRunning());
    }

    @Test
    void aNodeThatCannotStartFailsWithTheEndOfItsLog() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> nodes.add(NodeProcess.start(NodeName.class)));
        assertTrue(e.getMessage().contains("before it listened") && e.getMessage().contains("Main method not found"),
                e.getMessage());
    }

    private NodeProcess start(String name) {
        NodeProcess node = NodeProcess.start(name);
        nodes.add(node);
        return node;
    }

    private static PageClient page(NodeProcess node) {
        PageClient page = new PageClient(node.port());
        page.handshake("/");
        return page;
    }

    private static String name(PageClient page) {
        return page.call("NodeName", "name").get("result").getAsString();
    }
}
