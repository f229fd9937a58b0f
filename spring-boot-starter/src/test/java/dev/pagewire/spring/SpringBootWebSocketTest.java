package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.SocketClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The websocket mode inside a Spring Boot application, with the starter's defaults: Boot's
 * embedded Tomcat gives Pagewire its WebSocket container, and calls over the socket reach Spring
 * beans, session-scoped ones included, as POSTs do.
 */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootWebSocketTest {
    @LocalServerPort
    int port;

    @Test
    void aPageOnASocketCallsSpringBeansAndReceivesTheirPushes() throws Exception {
        PageClient page = new PageClient(port);
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
            assertEquals("anonymous: over the socket", pushed.getAsJsonArray("args").get(0).getAsString());

            socket.send(call(2, "Basket", "add", "\"apple\""));
            assertEquals(1, reply(socket).get("result").getAsInt(), "the HTTP session's basket");
            socket.send(call(3, "Basket", "add", "\"pear\""));
            assertEquals(2, reply(socket).get("result").getAsInt(), "the same basket on the next call");
        }
        assertEquals(3, page.call("Basket", "add", "plum").get("result").getAsInt(),
                "a POST of the same page sees the basket the socket's calls filled");
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
