package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hand-written client that speaks the protocol's names from before the first release
 * ({@code POST session}, {@code {"page": path}}, {@code Pagewire-Session}, {@code stream?session=},
 * an unload beacon with {@code "session"}) still works, for one release: the engine moved to the
 * new names, tools written against the old ones (load generators, other languages' clients) did not.
 */
class PreReleaseWireNamesTest {
    @Test
    void theOldNamesStillMakeAHandshakeACallAStreamAndAnUnload() throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Ping()))) {
            PageClient old = new PageClient(server.port());
            PageClient.Reply handshake = old.post("/session", "{\"page\":\"/old/\"}", Map.of());
            assertEquals(200, handshake.status(), handshake.body());
            JsonObject reply = handshake.json();
            String id = reply.get("session").getAsString();
            String token = reply.get("token").getAsString();
            assertEquals(reply.get("page").getAsString(), id, "the old and the new name carry the same id");
            JsonObject delivery = reply.getAsJsonObject("delivery");
            assertEquals(delivery.get("pollMillis"), delivery.get("pollInterval"));
            assertEquals(delivery.get("ackDelayMillis"), delivery.get("ackDelay"));
            Page page = server.pagewire().pages().byId(id).pages().get(0);
            assertEquals("/old/", page.path());

            Map<String, String> oldHeaders = Map.of("Pagewire-Session", id, "Pagewire-Token", token);
            PageClient.Reply call = old.post("/call",
                    "{\"calls\":[{\"id\":1,\"proxy\":\"Ping\",\"method\":\"ping\",\"args\":[]}]}", oldHeaders);
            assertEquals(200, call.status(), call.body());
            assertNull(call.reply(0).get("error"), call.body());

            server.pagewire().pages().byId(id).call("ui.show", 1);
            try (RawHttp stream = RawHttp.send(server.port(), "GET",
                    "/pagewire/stream?session=" + id + "&token=" + token + "&ack=0",
                    Map.of("Cookie", old.cookieHeader(), "Accept", "text/event-stream"), null).readHead()) {
                assertEquals(200, stream.status());
                String line;
                do {
                    line = stream.readBodyLine();
                } while (line != null && !line.startsWith("data: {\"seq\":1"));
                assertEquals("data: {\"seq\":1,\"call\":\"ui.show\",\"args\":[1]}", line);
            }

            PageClient.Reply unload = old.post("/unload", "{\"session\":\"" + id + "\",\"token\":\"" + token + "\"}",
                    Map.of("Content-Type", "text/plain"));
            assertEquals(204, unload.status(), unload.body());
            Wait.until("the page to end", 10, () -> server.pagewire().livePages() == 0);
        }
    }
}
