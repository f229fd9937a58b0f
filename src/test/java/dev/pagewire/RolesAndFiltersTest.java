package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.file.Path;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Role checks and call filters, with users logged in by the container (here: a test filter). */
class RolesAndFiltersTest {
    @RemoteProxy(name = "Account")
    @Roles("*")
    public static class Account {
        @RemoteMethod
        public String me(Principal user) {
            return user.getName();
        }

        @RemoteMethod
        @Roles({"admin", "moderator"})
        public String ban(String name) {
            return "banned " + name;
        }

        @RemoteMethod
        public String echo(String text) {
            return text;
        }

        @RemoteMethod
        public int recurse(int n) {
            return recurse(n + 1) + 1;
        }
    }

    /** A base class without roles whose remote methods a guarded subclass inherits. */
    public static class Maintenance {
        @RemoteMethod
        public String wipe() {
            return "wiped";
        }
    }

    @RemoteProxy(name = "Admin")
    @Roles("admin")
    public static class Admin extends Maintenance {
    }

    public static class Catalogue {
        @RemoteMethod
        public String price(String item) {
            return "1 EUR";
        }

        @RemoteMethod
        public String list() {
            return "tea";
        }
    }

    @RemoteProxy(name = "Shop")
    public static class Shop extends Catalogue {
        @Override
        @Roles("admin")
        public String price(String item) {
            return "2 EUR";
        }
    }

    public interface Reports {
        @RemoteMethod
        String total();
    }

    @RemoteProxy(name = "Books")
    @Roles("auditor")
    public static class Books implements Reports {
        @Override
        public String total() {
            return "42";
        }

        @RemoteMethod
        public String ping() {
            return "pong";
        }
    }

    @Roles("auditor")
    public interface Audited {
    }

    @RemoteProxy(name = "Ledger")
    public static class Ledger implements Audited {
        @RemoteMethod
        public String open() {
            return "open";
        }
    }

    @ClientVisible
    public static class SlowDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SlowDown(String message) {
            super(message);
        }
    }

    /** One per HTTP session; counts the instances made. */
    @RemoteProxy(name = "Basket", scope = Scope.SESSION)
    public static class Basket {
        static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();

        public Basket() {
            MADE.incrementAndGet();
        }

        @RemoteMethod
        public String echo(String text) {
            return text;
        }
    }

    private static final List<String> seen = new CopyOnWriteArrayList<>();
    @TempDir
    static Path dir;
    private static Tomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Pagewire pagewire = Pagewire.builder().expose(Account.class)
                .expose(Admin.class).expose(Shop.class).expose(Books.class).expose(Ledger.class)
                .expose(Basket.class)
                .filter((call, chain) -> {
                    seen.add("outer " + call.method().getName());
                    try {
                        return chain.proceed();
                    } finally {
                        seen.add("outer done");
                    }
                })
                .filter((call, chain) -> {
                    seen.add("inner " + call.proxyName() + "." + call.method().getName() + " by "
                            + call.request().getRemoteUser() + " on " + call.page().path());
                    if ("echo".equals(call.method().getName())) {
                        String text = (String) call.arguments()[0];
                        if (text.equals("spam")) {
                            throw new SlowDown("too many messages");
                        }
                        if (text.equals("crash")) {
                            throw new IllegalStateException("filter bug");
                        }
                        call.arguments()[0] = text.toUpperCase();
                    }
                    return chain.proceed();
                })
                .build();
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "localhost");
        Context context = tomcat.addContext("", dir.toString());
        // Stands in for container login: "X-Test-User: name role1 role2".
        Filter login = (request, response, chain) -> {
            String header = ((HttpServletRequest) request).getHeader("X-Test-User");
            if (header == null) {
                chain.doFilter(request, response);
                return;
            }
            List<String> parts = List.of(header.split(" "));
            Set<String> roles = Set.copyOf(parts.subList(1, parts.size()));
            chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> parts.get(0);
                }

                @Override
                public String getRemoteUser() {
                    return parts.get(0);
                }

                @Override
                public boolean isUserInRole(String role) {
                    return roles.contains(role);
                }
            }, response);
        };
        FilterDef def = new FilterDef();
        def.setFilterName("login");
        def.setFilter(login);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("login");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Wrapper wrapper = Tomcat.addServlet(context, "pagewire", new PagewireServlet(pagewire));
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/pagewire/*", "pagewire");
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    private static JsonObject call(String user, String method, String args) {
        return call(user, "Account", method, args);
    }

    private static JsonObject call(String user, String proxy, String method, String args) {
        PageClient client = new PageClient(port);
        client.handshake("/account/");
        Map<String, String> headers = new java.util.HashMap<>(client.pageHeaders());
        if (user != null) {
            headers.put("X-Test-User", user);
        }
        PageClient.Reply r = client.post("/call", client.batch().callRaw(proxy, method, args).body(), headers);
        assertEquals(200, r.status(), r.body());
        return r.json().getAsJsonArray("replies").get(0).getAsJsonObject();
    }

    private static String code(JsonObject reply) {
        return reply.has("error") ? reply.getAsJsonObject("error").get("code").getAsString() : "OK";
    }

    @Test
    void anyLoggedInUserForTheClassAndNamedRolesForAMethod() {
        assertEquals("FORBIDDEN", code(call(null, "me", "[]")), "anonymous");
        assertEquals("ann", call("ann", "me", "[]").get("result").getAsString());
        assertEquals("FORBIDDEN", code(call("ann", "ban", "[\"bob\"]")), "logged in, but no role");
        assertEquals("banned bob", call("root admin", "ban", "[\"bob\"]").get("result").getAsString());
        assertEquals("banned bob", call("mo moderator", "ban", "[\"bob\"]").get("result").getAsString());
        assertTrue(call(null, "ban", "[\"bob\"]").getAsJsonObject("error").get("message").getAsString()
                .contains("Account.ban is not allowed"));
    }

    @Test
    void anInheritedRemoteMethodObeysTheRolesOfTheExposedClass() {
        assertEquals("FORBIDDEN", code(call(null, "Admin", "wipe", "[]")), "anonymous");
        assertEquals("FORBIDDEN", code(call("ann", "Admin", "wipe", "[]")), "logged in, but no role");
        assertEquals("wiped", call("root admin", "Admin", "wipe", "[]").get("result").getAsString());
    }

    @Test
    void rolesOnAnOverrideWithoutRemoteMethodApply() {
        assertEquals("FORBIDDEN", code(call("ann", "Shop", "price", "[\"tea\"]")));
        assertEquals("2 EUR", call("root admin", "Shop", "price", "[\"tea\"]").get("result").getAsString());
        assertEquals("tea", call(null, "Shop", "list", "[]").get("result").getAsString(), "no roles anywhere");
    }

    @Test
    void remoteMethodsAndRolesDeclaredOnInterfacesApply() {
        assertEquals("FORBIDDEN", code(call("ann", "Books", "total", "[]")), "the class's roles");
        assertEquals("42", call("eve auditor", "Books", "total", "[]").get("result").getAsString());
        assertEquals("FORBIDDEN", code(call("ann", "Ledger", "open", "[]")), "the interface's roles");
        assertEquals("open", call("eve auditor", "Ledger", "open", "[]").get("result").getAsString());
    }

    @Test
    void aForbiddenCallNeverReachesTheFilters() {
        call(null, "ban", "[\"bob\"]");
        assertEquals(List.of(), seen);
    }

    @Test
    void filtersRunOutermostFirstAndMayChangeArguments() {
        assertEquals("HELLO", call("ann", "echo", "[\"hello\"]").get("result").getAsString());
        assertEquals(List.of("outer echo", "inner Account.echo by ann on /account/", "outer done"), seen);
    }

    @Test
    void aFilterRefusesWithAClientVisibleExceptionOrFailsAsAnIncident() {
        JsonObject refused = call("ann", "echo", "[\"spam\"]").getAsJsonObject("error");
        assertEquals("EXCEPTION", refused.get("code").getAsString());
        assertEquals("SlowDown", refused.get("name").getAsString());
        assertEquals("too many messages", refused.get("message").getAsString());
        JsonObject crashed = call("ann", "echo", "[\"crash\"]").getAsJsonObject("error");
        assertEquals("INTERNAL", crashed.get("code").getAsString());
        assertTrue(!crashed.toString().contains("filter bug"));
    }

    @Test
    void aCallAFilterRefusesMakesNoInstanceOfTheExposedClass() {
        int before = Basket.MADE.get();
        assertEquals("SlowDown", call("ann", "Basket", "echo", "[\"spam\"]").getAsJsonObject("error").get("name").getAsString());
        assertEquals(before, Basket.MADE.get(), "refused by a filter: no session object made for the call");
        assertEquals("OK", call("ann", "Basket", "echo", "[\"ok\"]").get("result").getAsString());
        assertEquals(before + 1, Basket.MADE.get());
    }

    @Test
    void anErrorInTheMethodIsAnIncidentNotADeadRequest() {
        JsonObject error = call("ann", "recurse", "[0]").getAsJsonObject("error");
        assertEquals("INTERNAL", error.get("code").getAsString());
        assertEquals("ann", call("ann", "me", "[]").get("result").getAsString(), "the server is fine");
    }

    @Test
    void rolesNamingNobodyFailAtStart() {
        @RemoteProxy
        class Nobody {
            @RemoteMethod
            @Roles({})
            public void x() {
            }
        }
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(Nobody.class).instanceFactory(c -> null).build()).getMessage();
        assertTrue(message.contains("@Roles names no role"), message);
    }
}
