package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PagewireServlet} configured the way {@code web.xml} does it: by class name and init-params. */
class ServletInitParametersTest {
    @RemoteProxy
    public static class Greeter {
        @RemoteMethod
        public String greet(String name) {
            return "Hello, " + name;
        }

        @RemoteMethod
        public java.util.concurrent.CompletionStage<String> never() {
            return new java.util.concurrent.CompletableFuture<>();
        }
    }

    /** A web application as web.xml would declare Pagewire in it; closing it stops Tomcat. */
    private record DeployedApp(Tomcat tomcat) implements AutoCloseable {
        /** A client of the servlet, mapped at {@code /app/rpc}. */
        PageClient client() {
            return new PageClient(tomcat.getConnector().getLocalPort(), "/app/rpc");
        }

        @Override
        public void close() throws LifecycleException {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static DeployedApp deploy(Path dir, Map<String, String> params) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "localhost");
        Context context = tomcat.addContext("/app", dir.toString());
        // As web.xml would: the class by name, no Pagewire instance passed in.
        Wrapper wrapper = Tomcat.addServlet(context, "pagewire", PagewireServlet.class.getName());
        params.forEach(wrapper::addInitParameter);
        wrapper.setLoadOnStartup(1);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/rpc/*", "pagewire");
        tomcat.start();
        return new DeployedApp(tomcat);
    }

    @Test
    void classesAndLimitsComeFromInitParamsAndTheMountFromTheMapping(@TempDir Path dir) throws Exception {
        try (DeployedApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "maxCallsPerBatch", "7",
                "debug", "true"))) {
            PageClient client = app.client();
            assertEquals(7, client.handshake("/app/").getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
            assertEquals("Hello, Ada", client.call("Greeter", "greet", "Ada").get("result").getAsString());
            assertTrue(client.get("/engine.js", Map.of()).body().contains("createPagewire({ base: \"/app/rpc\" })"));
            assertEquals(200, client.get("/", Map.of()).status(), "debug from init-param");
        }
    }

    @Test
    void theBatchTimeBudgetComesFromAnInitParam(@TempDir Path dir) throws Exception {
        try (DeployedApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "batchTimeBudget", "PT1S"))) {
            PageClient client = app.client();
            client.handshake("/app/");
            assertEquals("TIMEOUT", client.call("Greeter", "never").getAsJsonObject("error").get("code").getAsString());
        }
    }

    @Test
    void trustedProxiesComeFromAnInitParam(@TempDir Path dir) throws Exception {
        try (DeployedApp app = deploy(dir, Map.of("trustedProxies", "127.0.0.1, ::1"))) {
            PageClient proxy = app.client();
            String body = "{\"path\":\"/app/\"}";
            for (int i = 0; i < Pagewire.Builder.DEFAULT_HANDSHAKES_PER_MINUTE; i++) {
                assertEquals(200, proxy.post("/handshake", body, Map.of("X-Forwarded-For", "10.0.0.1")).status());
            }
            assertEquals(429, proxy.post("/handshake", body, Map.of("X-Forwarded-For", "10.0.0.1")).status());
            assertEquals(200, proxy.post("/handshake", body, Map.of("X-Forwarded-For", "10.0.0.2")).status(),
                    "another client behind the same proxy");
        }
    }

    @Test
    void allowedHostsComeFromAnInitParam(@TempDir Path dir) throws Exception {
        try (DeployedApp app = deploy(dir, Map.of("allowHosts", "app.example.test, intranet.example.test:8080"))) {
            PageClient client = app.client();
            assertEquals("FORBIDDEN_HOST", client.get("/engine.js", Map.of()).errorCode(), "localhost is not listed");
        }
    }

    @Test
    void aBadConfigurationStopsTheServletWithTheReason(@TempDir Path dir) throws Exception {
        try (DeployedApp app = deploy(dir, Map.of("classes", "com.example.Missing"))) {
            PageClient client = app.client();
            // The servlet failed to initialise (the log says why): the container refuses, never serves.
            PageClient.Reply reply = client.get("/engine.js", Map.of());
            assertEquals(500, reply.status());
            assertTrue(!reply.body().contains("createPagewire"));
        }
    }
}
