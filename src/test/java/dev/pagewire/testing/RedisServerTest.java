package dev.pagewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** What the cluster's fault tests rely on: a real Redis that dies, comes back with its data, or empty. */
class RedisServerTest {
    @AutoClose
    RedisServer redis = RedisServer.start();

    @Test
    void whatWasWrittenSurvivesASigkillAndARestart() throws IOException {
        assertEquals("OK", redis.command("SET", "greeting", "héllo"));
        int port = redis.port();

        redis.kill();
        assertFalse(redis.isRunning());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "nothing listens on the port of a killed server");
        assertThrows(UncheckedIOException.class, () -> redis.command("PING"));

        redis.restart();
        assertEquals(port, redis.port());
        assertEquals("héllo", redis.command("GET", "greeting"), "the append-only file was replayed");
        assertTrue(Files.readString(redis.dir().resolve("redis.log")).contains("DB loaded from append only file"));
        assertEquals("redis://127.0.0.1:" + port, redis.uri());
    }

    @Test
    void restartEmptyAndFlushAllLeaveNothing() {
        redis.command("SET", "a", "1");
        redis.restartEmpty();
        assertNull(redis.command("GET", "a"));
        assertEquals("0", redis.command("DBSIZE"));

        redis.command("RPUSH", "list", "x", "y");
        assertEquals("x\ny", redis.command("LRANGE", "list", "0", "-1"));
        redis.flushAll();
        assertEquals("0", redis.command("DBSIZE"));
    }

    @Test
    void anErrorReplyFailsTheCommand() {
        redis.command("SET", "text", "abc");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> redis.command("INCR", "text"));
        assertTrue(e.getMessage().startsWith("redis: ERR"), e.getMessage());
    }

    @Test
    void aSecondServerRunsBesideTheFirstOnAnotherPort() throws IOException {
        try (RedisServer other = RedisServer.start()) {
            assertNotEquals(redis.port(), other.port());
            other.command("SET", "where", "other");
            assertNull(redis.command("GET", "where"));
            assertEquals("other", other.command("GET", "where"));
        }
    }

    @Test
    void aServerThatCannotStartFailsWithTheEndOfItsLog() {
        AssertionError e = assertThrows(AssertionError.class, () -> RedisServer.start("--no-such-option", "1"));
        assertTrue(e.getMessage().contains("lines of") && e.getMessage().contains("no-such-option"), e.getMessage());
    }
}
