package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.WebXmlApp;
import java.nio.file.Path;
import java.util.Map;
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

    private static WebXmlApp deploy(Path dir, Map<String, String> params) {
        return WebXmlApp.deploy(dir, params);
    }

    @Test
    void classesAndLimitsComeFromInitParamsAndTheMountFromTheMapping(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "maxCallsPerBatch", "7",
                "debug", "true"))) {
            PageClient client = app.client();
            assertEquals(7, client.handshake("/app/").getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
            assertEquals("Hello, Ada", client.call("Greeter", "greet", "Ada").get("result").getAsString());
            assertTrue(client.get("/engine.js", Map.of()).body().contains("createPagewire({ base: \"/app/rpc\", script: "));
            assertEquals(200, client.get("/", Map.of()).status(), "debug from init-param");
        }
    }

    @Test
    void theJmxNameComesFromAnInitParam(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "name", "from-web-xml"))) {
            app.client().handshake("/app/");
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "dev.pagewire:type=Pagewire,name=from-web-xml");
            assertEquals(1L, java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(name, "LivePages"));
        }
    }

    @Test
    void theBatchTimeBudgetComesFromAnInitParam(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "batchTimeBudget", "PT1S"))) {
            PageClient client = app.client();
            client.handshake("/app/");
            assertEquals("TIMEOUT", client.call("Greeter", "never").getAsJsonObject("error").get("code").getAsString());
        }
    }

    @Test
    void trustedProxiesComeFromAnInitParam(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("trustedProxies", "127.0.0.1, ::1"))) {
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
        try (WebXmlApp app = deploy(dir, Map.of("allowHosts", "app.example.test, intranet.example.test:8080"))) {
            PageClient client = app.client();
            assertEquals("FORBIDDEN_HOST", client.get("/engine.js", Map.of()).errorCode(), "localhost is not listed");
        }
    }

    @Test
    void aBadConfigurationStopsTheServletWithTheReason(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("classes", "com.example.Missing"))) {
            PageClient client = app.client();
            // The servlet failed to initialise (the log says why): the container refuses, never serves.
            PageClient.Reply reply = client.get("/engine.js", Map.of());
            assertEquals(500, reply.status());
            assertTrue(!reply.body().contains("createPagewire"));
        }
    }

    @Test
    void aBackendNoProviderHandlesIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        try (WebXmlApp app = deploy(dir, Map.of("classes", Greeter.class.getName(), "backend", "memcached://cache:11211"))) {
            PageClient.Reply reply = app.client().get("/engine.js", Map.of());
            assertEquals(500, reply.status());
            assertTrue(reply.body().contains("init-param backend names a memcached: URI, but no backend for memcached"
                    + " is on the class path"), reply.body());
        }
    }

    /** A filter named in web.xml: refuses Greeter.never. */
    public static class NoNever implements CallFilter {
        @Override
        public Object filter(RemoteCall call, Chain chain) throws Exception {
            if (call.method().getName().equals("never")) {
                throw new IllegalStateException("never is closed");
            }
            return chain.proceed();
        }
    }

    @Test
    void everyBuilderSettingIsAnInitParam() {
        java.util.Set<String> javaOnly = java.util.Set.of("expose", "instanceFactory", "topic"); // Java objects
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (java.lang.reflect.Method m : Pagewire.Builder.class.getMethods()) {
            if (m.getDeclaringClass() == Pagewire.Builder.class && m.getReturnType() == Pagewire.Builder.class
                    && !javaOnly.contains(m.getName()) && !InitParameters.names().contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertEquals(java.util.List.of(), missing, "builder settings without an init-param");
    }

    @Test
    void settingsOfEveryKindComeFromInitParams(@TempDir Path dir) throws Exception {
        Map<String, String> params = new java.util.HashMap<>();
        params.put("classes", Greeter.class.getName());
        params.put("cometHold", "5s");                          // a duration, short form
        params.put("sseHeartbeat", "PT7S");                     // a duration, ISO-8601
        params.put("pollInterval", "1500ms");
        params.put("allowDeliveryModes", "polling, sse");       // a list of modes
        params.put("deliveryMode", "polling");                  // one mode
        params.put("deliveryRule", "/live/**=sse,polling; /slow/**=polling@3s");
        params.put("maxCallsPerBatch", "3");                    // a number
        params.put("filter", NoNever.class.getName());          // a filter class
        try (WebXmlApp app = deploy(dir, params)) {
            PageClient live = app.client();
            com.google.gson.JsonObject delivery = live.handshake("/live/").getAsJsonObject("delivery");
            assertEquals("sse", delivery.get("mode").getAsString());
            assertEquals(5000, delivery.get("holdMillis").getAsInt());
            assertEquals(7000, delivery.get("heartbeatMillis").getAsInt());
            PageClient slow = app.client();
            com.google.gson.JsonObject slowDelivery = slow.handshake("/slow/").getAsJsonObject("delivery");
            assertEquals("polling", slowDelivery.get("mode").getAsString());
            assertEquals(3000, slowDelivery.get("pollMillis").getAsInt(), "the rule's own interval");
            assertEquals(1500, app.client().handshake("/other/").getAsJsonObject("delivery").get("pollMillis").getAsInt());
            assertEquals(3, live.handshake("/live/").getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
            assertEquals("Hello, Ada", live.call("Greeter", "greet", "Ada").get("result").getAsString());
            assertEquals("INTERNAL", live.call("Greeter", "never").getAsJsonObject("error").get("code").getAsString(),
                    "the filter from web.xml refused it (an unexpected exception, not the batch's TIMEOUT)");
        }
    }

    @Test
    void aNameThatIsNoSettingOrABadValueStopsTheServletWithTheReason(@TempDir Path dir) throws Exception {
        Map<String, String> cases = Map.of(
                "cometHld", "init-param cometHld is no Pagewire setting; the settings are ",
                "cometHold", "init-param cometHold: a duration such as 30s, 500ms, 5m or PT30S, not soon",
                "debug", "init-param debug: true or false, not soon",
                "deliveryRule", "is not pattern=mode[,alsoAllowed...][@pollInterval]");
        int n = 0;
        for (var c : cases.entrySet()) {
            try (WebXmlApp app = deploy(dir.resolve("case" + n++), Map.of("classes", Greeter.class.getName(),
                    c.getKey(), "soon"))) {
                PageClient.Reply reply = app.client().get("/engine.js", Map.of());
                assertEquals(500, reply.status());
                assertTrue(reply.body().contains(c.getValue()), c.getKey() + ": " + reply.body());
            }
        }
    }
}
