package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.SocketClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The websocket mode inside a Spring Boot application, with the starter's defaults: Boot's
 * embedded Tomcat gives Pagewire its WebSocket container, and calls over the socket reach Spring
 * beans, session-scoped ones included, with the logged-in user in Spring Security's context, as
 * POSTs do.
 */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootWebSocketTest {
    @LocalServerPort
    int port;

    @Test
    void aPageOnASocketCallsSpringBeansAndReceivesTheirPushes() throws Exception {
        PageClient page = new PageClient(port);
        logIn(page, "ann", "ann-secret");
        page.handshake("/board/");
        try (SocketClient socket = SocketClient.open(port, page.cookieHeader(), null)) {
            socket.hello(page, 0);
            socket.next("open");

            socket.send(call(1, "Board", "post", "\"over the socket\""));
            JsonObject post = null;
            JsonObject pushed = null;
            while (post == null || pushed == null) { // the push, queued before the reply, comes first
                JsonObject frame = socket.next();
                switch (frame.get("type").getAsString()) {
                    case "updates" -> pushed = frame.getAsJsonArray("updates").get(0).getAsJsonObject();
                    case "replies" -> post = frame.getAsJsonArray("replies").get(0).getAsJsonObject();
                    default -> { } // heartbeats
                }
            }
            assertTrue(post.has("result"), post.toString());
            assertEquals("board.show", pushed.get("call").getAsString(), pushed.toString());
            assertEquals("ann: over the socket", pushed.getAsJsonArray("args").get(0).getAsString(),
                    "the Principal parameter: the upgrade's user");

            socket.send(call(6, "Receipt", "line", ""));
            assertEquals(1, reply(socket).get("result").getAsInt(), "a request-scoped bean, new for the call");
            socket.send(call(7, "Receipt", "line", ""));
            assertEquals(1, reply(socket).get("result").getAsInt(), "and new again for the next one");

            socket.send(call(4, "Board", "whoAmI", ""));
            assertEquals("ann", reply(socket).get("result").getAsString(), "Spring Security's own holder");
            socket.send(call(5, "Board", "clear", ""));
            assertTrue(reply(socket).has("result"), "@Roles(\"ADMIN\"): ann has it");

            socket.send(call(2, "Basket", "add", "\"apple\""));
            assertEquals(1, reply(socket).get("result").getAsInt(), "the HTTP session's basket");
            socket.send(call(3, "Basket", "add", "\"pear\""));
            assertEquals(2, reply(socket).get("result").getAsInt(), "the same basket on the next call");
        }
        assertEquals(3, page.call("Basket", "add", "plum").get("result").getAsInt(),
                "a POST of the same page sees the basket the socket's calls filled");
        assertEquals("ann", page.call("Board", "whoAmI").get("result").getAsString(), "and the same user");
    }

    /** Spring Security's form login, as a browser does it: the login page's CSRF token, then the form. */
    private void logIn(PageClient page, String user, String password) {
        URI login = URI.create("http://localhost:" + port + "/login");
        String form = page.send(HttpRequest.newBuilder(login).GET().build()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        assertTrue(csrf.find(), form);
        String body = "username=" + user + "&password=" + password + "&_csrf="
                + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        int status = page.send(HttpRequest.newBuilder(login).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).status();
        assertEquals(302, status, "logged in and sent on");
    }

    private static String call(int batch, String proxy, String method, String argument) {
        return "{\"type\":\"call\",\"batch\":" + batch + ",\"ack\":0,\"calls\":[{\"id\":1,\"proxy\":\"" + proxy
                + "\",\"method\":\"" + method + "\",\"args\":[" + argument + "]}]}";
    }

    private static JsonObject reply(SocketClient socket) throws InterruptedException {
        JsonArray replies = socket.next("replies").getAsJsonArray("replies");
        return replies.get(0).getAsJsonObject();
    }
}
