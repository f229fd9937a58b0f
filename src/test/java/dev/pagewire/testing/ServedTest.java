package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The integration suite runs on the container the run chose: this proves which one answered. */
class ServedTest {
    @Test
    void theChosenContainerAnswers() throws Exception {
        try (Served served = Served.start(Pagewire.builder().expose(new Ping()).build());
             RawHttp reply = RawHttp.send(served.port(), "GET", "/pagewire/engine.js", Map.of(), null).readHead()) {
            assertEquals(200, reply.status());
            String server = reply.header("Server");
            if (Served.onJetty()) {
                assertTrue(server != null && server.startsWith("Jetty(12."), "Jetty 12 answered: " + server);
            } else {
                assertEquals(null, server, "embedded Tomcat sends no Server header");
            }
        }
    }
}
