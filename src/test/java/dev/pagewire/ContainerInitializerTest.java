package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import jakarta.servlet.ServletContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WAR that registers Pagewire with one context parameter: Tomcat deploys a folder with a
 * {@code WEB-INF/web.xml} and finds {@link PagewireContainerInitializer} through Pagewire's
 * {@code META-INF/services}, as any Servlet 6 container does.
 */
class ContainerInitializerTest {
    /** The application's configuration, named in web.xml. */
    public static class AppPagewire implements PagewireConfiguration {
        @Override
        public Pagewire pagewire(ServletContext context) {
            return Pagewire.builder().expose(new Ping()).maxCallsPerBatch(9).build();
        }
    }

    /** Not a {@link PagewireConfiguration}. */
    public static class NotAConfiguration {
    }

    private static Tomcat deploy(Path dir, String contextParams) throws Exception {
        Path webInf = Files.createDirectories(dir.resolve("war/WEB-INF"));
        Files.writeString(webInf.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                %s
                </web-app>
                """.formatted(contextParams));
        Tomcat tomcat = new Tomcat();
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet: Jasper is not here
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "localhost");
        Context context = tomcat.addWebapp("/shop", dir.resolve("war").toString());
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false); // no TLD scan of the test class path
        // The test class path also holds Jetty (for the suite that runs on it), whose initializers
        // would run here as the container's own: a WAR on Tomcat has none of them.
        context.setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            tomcat.stop();
            tomcat.destroy();
            throw e;
        }
        return tomcat;
    }

    private static String param(String name, String value) {
        return "<context-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></context-param>";
    }

    @Test
    void oneContextParameterServesPagewire(@TempDir Path dir) throws Exception {
        Tomcat tomcat = deploy(dir, param(PagewireContainerInitializer.CONFIGURATION, AppPagewire.class.getName()));
        try {
            PageClient page = new PageClient(tomcat.getConnector().getLocalPort(), "/shop/pagewire");
            assertEquals(9, page.handshake("/shop/").getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
            assertEquals("pong", page.call("Ping", "ping").get("result").getAsString());
            assertTrue(page.get("/engine.js", Map.of()).body().contains("/shop/pagewire"), "scripts know their mount");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void theMappingIsAContextParameterToo(@TempDir Path dir) throws Exception {
        Tomcat tomcat = deploy(dir, param(PagewireContainerInitializer.CONFIGURATION, AppPagewire.class.getName())
                + param(PagewireContainerInitializer.MAPPING, "/rpc/*"));
        try {
            PageClient page = new PageClient(tomcat.getConnector().getLocalPort(), "/shop/rpc");
            page.handshake("/shop/");
            assertEquals("pong", page.call("Ping", "ping").get("result").getAsString());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void withoutTheParameterNothingIsRegistered(@TempDir Path dir) throws Exception {
        Tomcat tomcat = deploy(dir, "");
        try {
            PageClient page = new PageClient(tomcat.getConnector().getLocalPort(), "/shop/pagewire");
            assertEquals(404, page.get("/engine.js", Map.of()).status());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void aWrongClassStopsTheApplicationWithAClearReason(@TempDir Path dir) {
        for (var c : Map.of("com.example.Missing", "which is not on the class path",
                NotAConfiguration.class.getName(), "which does not implement dev.pagewire.PagewireConfiguration")
                .entrySet()) {
            Exception failed = assertThrows(Exception.class, () -> deploy(dir.resolve("app" + c.getKey().length()),
                    param(PagewireContainerInitializer.CONFIGURATION, c.getKey())));
            Throwable reason = failed;
            while (!(reason instanceof IllegalStateException) && reason.getCause() != null) {
                reason = reason.getCause(); // Tomcat wraps the initializer's exception
            }
            assertEquals(PagewireContainerInitializer.CONFIGURATION + " names " + c.getKey() + ", " + c.getValue(),
                    reason.getMessage());
        }
    }
}
