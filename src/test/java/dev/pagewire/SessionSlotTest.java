package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.PageClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * A container that refuses to start HTTP sessions (Tomcat's {@code maxActiveSessions}) must not
 * cost Pagewire any of its page slots: each refused handshake gives its slot back.
 */
class SessionSlotTest {
    @Test
    void handshakesTheContainerRefusesGiveTheirPageSlotBack() throws Exception {
        Pagewire pagewire = Pagewire.builder().maxPages(2).build();
        Path base = Files.createTempDirectory("pagewire-slot");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        StandardManager manager = new StandardManager();
        manager.setMaxActiveSessions(1);
        manager.setPathname(null);
        context.setManager(manager);
        Wrapper wrapper = Tomcat.addServlet(context, "pagewire", new PagewireServlet(pagewire));
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/pagewire/*", "pagewire");
        tomcat.start();
        try {
            int port = connector.getLocalPort();
            PageClient admitted = new PageClient(port);
            admitted.handshake("/a/");
            for (int i = 0; i < 3; i++) {
                PageClient.Reply refused = new PageClient(port).post("/handshake", "{\"path\":\"/b/\"}", Map.of());
                assertEquals(503, refused.status(), refused.body());
                assertEquals("HTTP_SESSION_REFUSED", refused.errorCode());
            }
            admitted.handshake("/a/"); // the second of two slots: still free
            assertEquals(2, pagewire.livePages());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
