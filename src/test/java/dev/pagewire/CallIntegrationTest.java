package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls over real HTTP against an embedded Tomcat on a free port. */
class CallIntegrationTest {
    record Line(String sku, int quantity, BigDecimal price) {
    }

    record Order(String customer, List<Line> lines, Instant placed) {
    }

    @ClientVisible
    public static class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OutOfStock(String message) {
            super(message);
        }
    }

    @RemoteProxy(name = "Shop")
    public static class Shop {
        @RemoteMethod
        public BigDecimal total(Order order) {
            return order.lines().stream().map(l -> l.price().multiply(BigDecimal.valueOf(l.quantity())))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        @RemoteMethod
        public long placedAt(Order order) {
            return order.placed().toEpochMilli();
        }

        @RemoteMethod
        public int add(int a, int b) {
            return a + b;
        }

        @RemoteMethod
        public int add(int a, int b, int c) {
            return a + b + c;
        }

        @RemoteMethod
        public void buy(String sku) {
            throw new OutOfStock("no more " + sku);
        }

        @RemoteMethod
        public void crash() {
            throw new IllegalStateException("database password is hunter2");
        }

        @RemoteMethod
        public String context(HttpServletRequest request, HttpSession session, Page page) {
            return request.getMethod() + " " + (session != null) + " " + page.path();
        }

        @RemoteMethod
        public double notFinite() {
            return Double.NaN;
        }
    }

    public static class Counter {
        private final AtomicInteger count = new AtomicInteger();

        public int next() {
            return count.incrementAndGet();
        }
    }

    private static Served server;
    private static PageClient page;

    @BeforeAll
    static void start() {
        Pagewire pagewire = Pagewire.builder()
                .expose(Shop.class)
                .expose("PerSession", Counter.class, Scope.SESSION)
                .expose("PerPage", Counter.class, Scope.PAGE)
                .expose("PerCall", Counter.class, Scope.REQUEST)
                .expose("Shared", Counter.class, Scope.APPLICATION)
                .maxCallsPerBatch(5)
                .maxBodyBytes(4096)
                .maxJsonDepth(16)
                .build();
        server = Served.start(pagewire);
        page = new PageClient(server.port());
        page.handshake("/shop/index.html");
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void recordsGenericsAndBigDecimalsConvertBothWays() {
        Map<String, Object> order = Map.of("customer", "ann", "placed", "2026-11-22T10:00:00.000Z", "lines", List.of(
                Map.of("sku", "tea", "quantity", 2, "price", 3.25), Map.of("sku", "pot", "quantity", 1, "price", 20)));
        assertEquals(new BigDecimal("26.50"), page.call("Shop", "total", order).get("result").getAsBigDecimal());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli(),
                page.call("Shop", "placedAt", order).get("result").getAsLong());
    }

    @Test
    void batchRunsInOrderAndOverloadsAreChosenByArgumentCount() {
        PageClient.Reply r = page.calls("[{\"id\":7,\"proxy\":\"Shop\",\"method\":\"add\",\"args\":[1,2]},"
                + "{\"id\":8,\"proxy\":\"Shop\",\"method\":\"add\",\"args\":[1,2,3]},"
                + "{\"id\":9,\"proxy\":\"Shop\",\"method\":\"add\",\"args\":[1]}]");
        JsonArray replies = r.json().getAsJsonArray("replies");
        assertEquals(7, replies.get(0).getAsJsonObject().get("id").getAsInt(), "a reply carries its call's id");
        assertEquals(3, replies.get(0).getAsJsonObject().get("result").getAsInt());
        assertEquals(6, replies.get(1).getAsJsonObject().get("result").getAsInt());
        JsonObject error = replies.get(2).getAsJsonObject().getAsJsonObject("error");
        assertEquals("NOT_FOUND", error.get("code").getAsString());
        assertTrue(error.get("message").getAsString().contains("does not take 1 argument"));
    }

    @Test
    void injectedParametersAreSuppliedNotSent() {
        assertEquals("POST true /shop/", page.call("Shop", "context").get("result").getAsString());
    }

    @Test
    void clientVisibleExceptionCarriesNameAndMessage() {
        JsonObject error = page.call("Shop", "buy", "tea").getAsJsonObject("error");
        assertEquals("EXCEPTION", error.get("code").getAsString());
        assertEquals("OutOfStock", error.get("name").getAsString());
        assertEquals("no more tea", error.get("message").getAsString());
    }

    @Test
    void otherFailuresAreGenericWithAnIncidentAndNoDetails() {
        PageClient.Reply r = page.batch().call("Shop", "crash").call("Shop", "notFinite").call("Shop", "add", 2, 2).send();
        assertFalse(r.body().contains("hunter2"), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
        assertFalse(r.body().contains("at dev."), r.body());
        JsonArray replies = r.json().getAsJsonArray("replies");
        for (int i = 0; i < 2; i++) {
            JsonObject error = replies.get(i).getAsJsonObject().getAsJsonObject("error");
            assertEquals("INTERNAL", error.get("code").getAsString());
            assertTrue(error.get("message").getAsString().contains(error.get("incident").getAsString()));
        }
        assertEquals(4, replies.get(2).getAsJsonObject().get("result").getAsInt(), "a failed result spoils no other");
    }

    @Test
    void unknownProxyMethodAndObjectMethodsAreNotFound() {
        for (String[] call : new String[][] {{"Nope", "x"}, {"Shop", "nope"}, {"Shop", "hashCode"},
                {"Shop", "getClass"}, {"Shop", "wait"}, {"Shop", "toString"}}) {
            JsonObject error = page.call(call[0], call[1]).getAsJsonObject("error");
            assertEquals("NOT_FOUND", error.get("code").getAsString(), String.join(".", call));
        }
    }

    @Test
    void badArgumentsNameTheIndexAndType() {
        JsonObject error = page.call("Shop", "add", 1, "two").getAsJsonObject("error");
        assertEquals("BAD_ARGUMENTS", error.get("code").getAsString());
        String message = error.get("message").getAsString();
        assertTrue(message.contains("argument 1 of Shop.add") && message.contains("int"), message);
        JsonObject nullPrimitive = page.call("Shop", "add", 1, null).getAsJsonObject("error");
        assertEquals("BAD_ARGUMENTS", nullPrimitive.get("code").getAsString());
        JsonObject record = page.call("Shop", "total", Map.of("lines", List.of(Map.of("quantity", "lots")))).getAsJsonObject("error");
        assertEquals("BAD_ARGUMENTS", record.get("code").getAsString());
    }

    @Test
    void scopesShareInstancesAsDocumented() {
        assertEquals(1, page.call("PerCall", "next").get("result").getAsInt());
        assertEquals(1, page.call("PerCall", "next").get("result").getAsInt());

        int session1 = page.call("PerSession", "next").get("result").getAsInt();
        int page1 = page.call("PerPage", "next").get("result").getAsInt();
        PageClient secondTab = new PageClient(server.port());
        secondTab.handshake("/shop/");
        // A second page in another browser: its own HTTP session, its own page.
        assertEquals(1, secondTab.call("PerSession", "next").get("result").getAsInt());
        assertEquals(1, secondTab.call("PerPage", "next").get("result").getAsInt());
        assertEquals(session1 + 1, page.call("PerSession", "next").get("result").getAsInt());
        assertEquals(page1 + 1, page.call("PerPage", "next").get("result").getAsInt());

        int shared = page.call("Shared", "next").get("result").getAsInt();
        assertEquals(shared + 1, secondTab.call("Shared", "next").get("result").getAsInt());
    }

    // ---- Refusals ----

    @Test
    void wrongMethodIs405WithAllow() {
        PageClient.Reply r = page.get("/call", Map.of());
        assertEquals(405, r.status());
        assertEquals("METHOD_NOT_ALLOWED", r.errorCode());
        assertEquals("POST", r.raw().headers().firstValue("Allow").orElse(""));
        assertEquals(405, page.post("/engine.js", "{}", Map.of()).status());
    }

    @Test
    void notJsonIs415() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/pagewire/call"))
                .header("Content-Type", "text/plain").header("Pagewire-Page", page.pageId())
                .header("Pagewire-Token", page.token()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        PageClient.Reply r = page.send(request);
        assertEquals(415, r.status());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", r.errorCode());
    }

    @Test
    void bodyOverTheLimitIs413WithOrWithoutContentLength() {
        String big = "[{\"id\":1,\"proxy\":\"Shop\",\"method\":\"buy\",\"args\":[\"" + "x".repeat(5000) + "\"]}]";
        PageClient.Reply declared = page.calls(big);
        assertEquals(413, declared.status());
        assertEquals("PAYLOAD_TOO_LARGE", declared.errorCode());

        byte[] bytes = ("{\"calls\":" + big + "}").getBytes();
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/pagewire/call"))
                .header("Content-Type", "application/json").header("Pagewire-Page", page.pageId())
                .header("Pagewire-Token", page.token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build();
        PageClient.Reply streamed = page.send(chunked);
        assertEquals(413, streamed.status());
        assertEquals("PAYLOAD_TOO_LARGE", streamed.errorCode());
    }

    @Test
    void malformedOrTooDeepJsonIs400() {
        for (String body : List.of("{\"calls\":[", "not json", "{\"calls\":{}}", "{}", "[1,2]",
                "{\"calls\":[{\"proxy\":\"Shop\"}]}", "{\"calls\":[]} trailing",
                "{\"calls\":[{\"id\":1,\"proxy\":\"Shop\",\"method\":\"add\",\"args\":" + "[".repeat(20) + "]".repeat(20) + "}]}")) {
            PageClient.Reply r = page.post("/call", body, page.pageHeaders());
            assertEquals(400, r.status(), body);
            assertEquals("MALFORMED", r.errorCode(), body);
        }
    }

    @Test
    void tooManyCallsIs400() {
        PageClient.Batch calls = page.batch();
        for (int i = 0; i < 6; i++) {
            calls.call("Shop", "add", 1, 1);
        }
        PageClient.Reply r = calls.send();
        assertEquals(400, r.status());
        assertEquals("TOO_MANY_CALLS", r.errorCode());
    }

    @Test
    void foreignOriginIs403AndOwnOriginPasses() {
        String body = page.batch().call("Shop", "add", 1, 1).body();
        Map<String, String> foreign = new java.util.HashMap<>(page.pageHeaders());
        foreign.put("Origin", "https://evil.example");
        PageClient.Reply r = page.post("/call", body, foreign);
        assertEquals(403, r.status());
        assertEquals("FORBIDDEN_ORIGIN", r.errorCode());

        Map<String, String> crossSite = new java.util.HashMap<>(page.pageHeaders());
        crossSite.put("Sec-Fetch-Site", "cross-site");
        assertEquals(403, page.post("/call", body, crossSite).status());

        Map<String, String> own = new java.util.HashMap<>(page.pageHeaders());
        own.put("Origin", "http://localhost:" + server.port());
        assertEquals(200, page.post("/call", body, own).status());
        assertEquals(403, page.post("/handshake", "{\"path\":\"/\"}", Map.of("Origin", "https://evil.example")).status());
    }

    /** Browsers send {@code Origin} on every cross-origin POST; without one, the token decides. */
    @Test
    void aRequestWithoutOriginNeedsOnlyItsToken() {
        String body = page.batch().call("Shop", "add", 1, 1).body();
        assertEquals(200, page.post("/call", body, page.pageHeaders()).status(), "no Origin, a valid token");
        assertEquals("BAD_TOKEN", page.post("/call", body, Map.of()).errorCode(), "no Origin, no token");
        Map<String, String> opaque = new java.util.HashMap<>(page.pageHeaders());
        opaque.put("Origin", "null");
        assertEquals("FORBIDDEN_ORIGIN", page.post("/call", body, opaque).errorCode(), "a sandboxed page's Origin: null");
    }

    @Test
    void missingOrWrongTokenIs403() {
        String body = "{\"calls\":[]}";
        assertEquals("BAD_TOKEN", page.post("/call", body, Map.of()).errorCode());
        PageClient.Reply wrong = page.post("/call", body,
                Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "AAAAAAAAAAAAAAAAAAAAAA"));
        assertEquals(403, wrong.status());
        assertEquals("BAD_TOKEN", wrong.errorCode());
    }

    @Test
    void anotherHttpSessionsScriptSessionIsUnknownThere() {
        PageClient attacker = new PageClient(server.port());
        attacker.handshake("/elsewhere/");
        // The attacker knows the victim's id and token but not the victim's cookie: nothing runs.
        PageClient.Reply r = attacker.post("/call", attacker.batch().call("Shared", "next").body(),
                page.pageHeaders());
        assertEquals(410, r.status());
        assertEquals("PAGE_UNKNOWN", r.errorCode());
        assertEquals(200, page.calls("[]").status(), "the victim's page is unaffected");
    }

    @Test
    void pagesOpenedAtOnceWithoutACookieRecoverWithANewHandshake() {
        // Two pages handshake at the same moment; the browser keeps only the second cookie.
        PageClient first = new PageClient(server.port());
        first.handshake("/tab/");
        Map<String, String> firstPage = first.pageHeaders();
        PageClient browser = new PageClient(server.port());
        browser.handshake("/tab/");
        PageClient.Reply stale = browser.post("/call", "{\"calls\":[]}", firstPage);
        assertEquals(410, stale.status(), "not 403: the page can recover");
        assertEquals("PAGE_UNKNOWN", stale.errorCode());
        browser.handshake("/tab/"); // what the engine does on PAGE_UNKNOWN
        assertEquals(200, browser.calls("[]").status());
    }

    @Test
    void unknownOrEndedSessionIs410() {
        PageClient.Reply r = page.post("/call", "{\"calls\":[]}",
                Map.of("Pagewire-Page", "doesnotexist", "Pagewire-Token", page.token()));
        assertEquals(410, r.status());
        assertEquals("PAGE_UNKNOWN", r.errorCode());

        PageClient noCookie = new PageClient(server.port());
        PageClient.Reply guess = noCookie.post("/call", "{\"calls\":[]}",
                Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "AAAAAAAAAAAAAAAAAAAAAA"));
        assertEquals(410, guess.status(), "a caller without the cookie or the token learns nothing but 'unknown'");
    }

    @Test
    void aPageWhoseBrowserSendsNoCookieIsToldSoOnEveryRequestTheStreamIncluded() {
        PageClient owner = new PageClient(server.port());
        owner.handshake("/cookieless/");
        PageClient withoutCookie = new PageClient(server.port());
        PageClient.Reply call = withoutCookie.post("/call", "{\"calls\":[]}", owner.pageHeaders());
        assertEquals(403, call.status(), call.body());
        assertEquals("NO_HTTP_SESSION_COOKIE", call.errorCode());
        assertTrue(call.json().getAsJsonObject("error").get("message").getAsString().contains("SSE stream"));
        assertEquals("NO_HTTP_SESSION_COOKIE",
                withoutCookie.post("/poll", "{\"ack\":0}", owner.pageHeaders()).errorCode());
        PageClient.Reply stream = withoutCookie.get("/stream?page=" + owner.pageId() + "&token=" + owner.token(),
                Map.of("Accept", "text/event-stream"));
        assertTrue(stream.body().startsWith("event: refused\ndata: {\"status\":403,\"error\":{\"code\":"
                + "\"NO_HTTP_SESSION_COOKIE\""), stream.body());
        assertEquals(200, owner.calls("[]").status(), "the page, with its cookie, is unharmed");
    }

    @Test
    void handshakesGiveDistinctUnguessableIdsAndTokens() {
        PageClient a = new PageClient(server.port());
        JsonObject first = a.handshake("/x/");
        JsonObject second = a.handshake("/x/");
        assertNotEquals(first.get("page"), second.get("page"));
        assertNotEquals(first.get("token"), second.get("token"));
        assertEquals(22, first.get("page").getAsString().length());
        assertEquals(5, first.getAsJsonObject("limits").get("maxCallsPerBatch").getAsInt());
        assertEquals(400, a.post("/handshake", "{}", Map.of()).status());
    }

    @Test
    void unknownPathsAre404() {
        assertEquals(404, page.get("/nothing", Map.of()).status());
        assertEquals(404, page.get("/", Map.of()).status(), "debug page is off by default");
        assertEquals("NOT_FOUND", page.get("/", Map.of()).errorCode());
    }
}
