package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Topic authorizers on the logged-in user: roles ({@code isUserInRole}) and the principal, with
 * users logged in by a servlet filter in front of Pagewire (as a container or Spring Security would).
 */
class TopicRolesTest {
    /** An order sent to the service topic. */
    public record Order(String symbol, int quantity) {
    }

    /** Logs in the user named by {@code X-User}, in the roles of {@code X-Roles} (comma-separated). */
    private static final Filter LOGIN = (request, response, chain) -> {
        HttpServletRequest http = (HttpServletRequest) request;
        String user = http.getHeader("X-User");
        if (user == null) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> roles = Set.of(String.valueOf(http.getHeader("X-Roles")).split(","));
        chain.doFilter(new HttpServletRequestWrapper(http) {
            @Override
            public Principal getUserPrincipal() {
                return () -> user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        }, response);
    };

    private final List<String> orders = new CopyOnWriteArrayList<>();
    private final Pagewire pagewire = Pagewire.builder()
            .topic(TopicRule.on("/desk/*").subscribe(TopicAccess.roles("*")))
            .topic(TopicRule.on("/inbox/*").subscribe((page, request, topic) -> request.getUserPrincipal() != null
                    && topic.equals("/inbox/" + request.getUserPrincipal().getName())))
            .topic(TopicRule.on("/admin/*").subscribe(TopicAccess.principal(p -> p.getName().equals("root"))))
            .topic(TopicRule.on("/service/orders").service(TopicAccess.roles("trader"), Order.class,
                    (page, topic, order) -> orders.add(order.symbol() + " " + order.quantity())))
            .build();
    @AutoClose("stop")
    private final PagewireServer server = PagewireServer.create(pagewire).filter("/*", LOGIN).start(0);

    private JsonObject call(PageClient page, Map<String, String> user, String method, Object... args) {
        Map<String, String> headers = new HashMap<>(page.pageHeaders());
        headers.putAll(user);
        String body = "{\"calls\":[{\"id\":1,\"proxy\":\"PagewireTopics\",\"method\":\"" + method + "\",\"args\":"
                + new Gson().toJson(args) + "}]}";
        return page.post("/call", body, headers).reply(0);
    }

    private static String code(JsonObject reply) {
        return reply.has("error") ? reply.getAsJsonObject("error").get("code").getAsString() : "OK";
    }

    @Test
    void rolesAndThePrincipalDecide() {
        PageClient page = new PageClient(server.port());
        page.handshake("/desk/");
        Map<String, String> anonymous = Map.of();
        Map<String, String> ann = Map.of("X-User", "ann", "X-Roles", "viewer");
        Map<String, String> bob = Map.of("X-User", "bob", "X-Roles", "trader");
        Map<String, String> root = Map.of("X-User", "root", "X-Roles", "");

        assertEquals("FORBIDDEN", code(call(page, anonymous, "subscribe", "/desk/news")), "\"*\": logged in only");
        assertEquals("OK", code(call(page, ann, "subscribe", "/desk/news")));
        assertEquals("OK", code(call(page, ann, "subscribe", "/inbox/ann")));
        assertEquals("FORBIDDEN", code(call(page, ann, "subscribe", "/inbox/bob")), "someone else's inbox");
        assertEquals("FORBIDDEN", code(call(page, ann, "subscribe", "/admin/logs")));
        assertEquals("OK", code(call(page, root, "subscribe", "/admin/logs")));

        assertEquals("FORBIDDEN", code(call(page, ann, "publish", "/service/orders", "{\"symbol\":\"ACME\",\"quantity\":5}")));
        assertNull(call(page, bob, "publish", "/service/orders", "{\"symbol\":\"ACME\",\"quantity\":5}").get("error"));
        assertEquals(List.of("ACME 5"), orders, "the refused order never reached the handler");
    }
}
