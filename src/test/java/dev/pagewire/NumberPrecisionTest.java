package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.embed.PagewireServer;
import dev.pagewire.testing.PageClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No number reaches a page changed: a page's numbers are IEEE doubles, exact only up to
 * ±(2^53 − 1), so big decimals travel as strings and a long beyond that range is refused where it
 * is encoded instead of arriving rounded.
 */
class NumberPrecisionTest {
    static final long MAX_SAFE = 9_007_199_254_740_991L;

    record Account(String name, long balance) {
    }

    public interface Meter {
        void reading(long value);
    }

    @RemoteProxy(name = "Bank")
    public static class Bank {
        @RemoteMethod
        public BigDecimal plus(BigDecimal a, BigInteger b) {
            return a.add(new BigDecimal(b));
        }

        @RemoteMethod
        public BigInteger power(int exponent) {
            return BigInteger.TWO.pow(exponent);
        }

        @RemoteMethod
        public long id(long id) {
            return id;
        }

        @RemoteMethod
        public List<Account> accounts(long balance) {
            return List.of(new Account("ann", balance));
        }
    }

    private static final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static Pagewire pagewire;
    private static PagewireServer server;
    private static PageClient page;

    @BeforeAll
    static void start() {
        Logger.getLogger("dev.pagewire").addHandler(capture);
        pagewire = Pagewire.builder().expose(Bank.class).build();
        server = PagewireServer.create(pagewire).start(0);
        page = new PageClient(server.port());
        page.handshake("/bank/");
    }

    @AfterAll
    static void stop() {
        server.stop();
        Logger.getLogger("dev.pagewire").removeHandler(capture);
    }

    @Test
    void bigDecimalsAndBigIntegersTravelAsExactStrings() {
        JsonObject sum = page.call("Bank", "plus", "0.1000000000000000055511151231257827", "18446744073709551616");
        assertEquals("\"18446744073709551616.1000000000000000055511151231257827\"", sum.get("result").toString());
        assertEquals("\"3.5\"", page.call("Bank", "plus", 1.5, 2).get("result").toString(), "numbers are read too");
        assertEquals("\"9007199254740993\"", page.call("Bank", "plus", 0, "9007199254740993").get("result")
                .toString(), "2^53 + 1 both ways");
        assertEquals("\"18446744073709551616\"", page.call("Bank", "power", 64).get("result").toString());
    }

    @Test
    void aLongThatAPageCannotHoldExactlyFailsItsCallAsAnIncident() {
        assertEquals(MAX_SAFE, page.call("Bank", "id", MAX_SAFE).get("result").getAsLong());
        assertEquals(-MAX_SAFE, page.call("Bank", "id", -MAX_SAFE).get("result").getAsLong());
        for (String arg : List.of("9007199254740992", "-9007199254740993")) {
            JsonObject error = page.call("Bank", "id", arg).getAsJsonObject("error");
            assertEquals("INTERNAL", error.get("code").getAsString(), arg);
            assertLogged(error.get("incident").getAsString(), "beyond \u00b1(2^53 - 1)", "BigInteger or String");
        }
        JsonObject inRecord = page.call("Bank", "accounts", "9223372036854775807").getAsJsonObject("error");
        assertLogged(inRecord.get("incident").getAsString(), "the long 9223372036854775807 is beyond");
    }

    @Test
    void aPushOfSuchALongFailsAtThePush() {
        PageClient other = new PageClient(server.port());
        other.handshake("/meter/");
        PageGroup group = pagewire.pages().byId(other.pageId());
        String untyped = assertThrows(IllegalArgumentException.class,
                () -> group.call("meter.reading", 1, List.of(MAX_SAFE + 1))).getMessage();
        assertTrue(untyped.contains("argument 1 of meter.reading") && untyped.contains("9007199254740992")
                && untyped.contains("BigInteger or String"), untyped);
        String typed = assertThrows(IllegalArgumentException.class,
                () -> group.proxy(Meter.class).reading(Long.MIN_VALUE)).getMessage();
        assertTrue(typed.contains("argument 0 of meter.reading") && typed.contains("-9223372036854775808"), typed);
        group.proxy(Meter.class).reading(MAX_SAFE);
        group.call("meter.total", new BigDecimal("12345678901234567890.5"));
        String updates = other.post("/poll", "{\"ack\":0}", other.pageHeaders()).json().get("updates").toString();
        assertEquals("[{\"seq\":1,\"call\":\"meter.reading\",\"args\":[9007199254740991]},"
                + "{\"seq\":2,\"call\":\"meter.total\",\"args\":[\"12345678901234567890.5\"]}]", updates,
                "nothing was queued by the refused pushes");
    }

    @Test
    void typeScriptDeclaresBigNumbersAsStrings() {
        String dts = page.get("/interface/Bank.d.ts", Map.of()).body();
        assertTrue(dts.contains("plus(a: string | number, b: string | number, options?: CallOptions<string>"), dts);
        assertTrue(dts.contains("): Promise<string>;"), dts);
        assertTrue(dts.contains("id(id: number, options?: CallOptions<number>"), dts);
    }

    private static void assertLogged(String incident, String... expected) {
        LogRecord r = logged.stream().filter(l -> l.getMessage().contains(incident)).findFirst()
                .orElseThrow(() -> new AssertionError("incident " + incident + " not logged"));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        for (String part : expected) {
            assertTrue(causes.toString().contains(part), causes.toString());
        }
    }
}
