package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.TestServer;
import dev.pagewire.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * DWR's names for a page ({@link ScriptSession}, {@link ScriptSessionListener}, {@code Scope.SCRIPT})
 * and the settings renamed before the first release still work, deprecated, for one release.
 */
@SuppressWarnings("removal")
class DwrNamesTest {
    /** Declares DWR's parameter type and the old scope name. */
    @RemoteProxy(scope = Scope.SCRIPT)
    public static class Legacy {
        private int calls;

        @RemoteMethod
        public String where(ScriptSession session) {
            calls++;
            return session.page() + " " + session.id() + " " + calls;
        }
    }

    @Test
    void aScriptSessionParameterGetsTheCallingPageAndScriptScopeIsPerPage() {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(Legacy.class))) {
            PageClient page = server.page("/old/");
            assertEquals("/old/ " + page.pageId() + " 1", page.call("Legacy", "where").get("result").getAsString());
            assertEquals("/old/ " + page.pageId() + " 2", page.call("Legacy", "where").get("result").getAsString());
            PageClient other = server.page("/old/");
            assertEquals("/old/ " + other.pageId() + " 1", other.call("Legacy", "where").get("result").getAsString(),
                    "another page has its own instance");
        }
    }

    @Test
    void aScriptSessionListenerHearsPagesComeAndGo() {
        List<String> heard = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start(Pagewire.builder().expose(Legacy.class))) {
            server.pagewire().pages().addListener(new ScriptSessionListener() {
                @Override
                public void created(ScriptSession session) {
                    heard.add("created " + session.page());
                }

                @Override
                public void destroyed(ScriptSession session) {
                    heard.add("destroyed " + session.page());
                }
            });
            PageClient page = server.page("/old/");
            server.pagewire().pages().byId(page.pageId()).pages().get(0).invalidate();
            Wait.until("the listener to hear the end", 10, () -> heard.size() == 2);
            assertEquals(List.of("created /old/", "destroyed /old/"), heard);
        }
    }

    @Test
    void forPageSessionsAndTheOldBuilderNamesStillWork() {
        Pagewire.Builder builder = Pagewire.builder().expose(Legacy.class)
                .sessionIdleTimeout(Duration.ofMinutes(1)).maxScriptSessions(1)
                .maxScriptSessionsPerHttpSession(1).maxQueuedBytes(10_000);
        try (TestServer server = TestServer.start(builder)) {
            PageClient page = server.page("/old/");
            List<ScriptSession> sessions = server.pagewire().pages().forPage("/old/index.html").sessions();
            assertEquals(1, sessions.size());
            assertEquals(page.pageId(), sessions.get(0).id());
            assertEquals(503, new PageClient(server.port()).post("/handshake", "{\"path\":\"/old/\"}", Map.of())
                    .status(), "maxScriptSessions(1) is maxPages(1)");
            assertEquals(1, server.pagewire().livePages());
        }
    }
}
