package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import dev.pagewire.ClientVisible;
import dev.pagewire.Pagewire;
import dev.pagewire.testing.TestServer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls through Java interfaces against a real server: values, futures and errors. */
class ClientCallTest {
    /** What the server exposes as {@code Greeter}. */
    public static final class GreeterService {
        private volatile CompletableFuture<String> pending = new CompletableFuture<>();

        public String hello(String name) {
            return "hello " + name;
        }

        public Booking postpone(Booking booking) {
            return new Booking(booking.day().plusDays(1), booking.price().add(BigDecimal.ONE), booking.guests());
        }

        public int bitCount(long value) {
            return Long.bitCount(value);
        }

        public CompletableFuture<String> later() {
            return pending;
        }

        public void refuse(String why) {
            throw new Refusal(why);
        }
    }

    /** An exception the page may see. */
    @ClientVisible
    public static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message);
        }
    }

    /** Travels as an object; its day as an ISO date, its price as an exact string. */
    public record Booking(LocalDate day, BigDecimal price, List<String> guests) {
    }

    /** The client's view of {@code Greeter}: the name comes from the interface's simple name. */
    interface Greeter {
        String hello(String name);

        Booking postpone(Booking booking);

        int bitCount(long value);

        CompletableFuture<String> later();

        void refuse(String why);

        String absent();
    }

    /** The same proxy, asynchronously, under a name given to {@code proxy(name, type)}. */
    interface GreeterLater {
        CompletableFuture<Void> refuse(String why);
    }

    private static final GreeterService SERVICE = new GreeterService();
    private static TestServer server;
    private static PagewireClient client;

    @BeforeAll
    static void start() {
        server = TestServer.start(Pagewire.builder().expose("Greeter", SERVICE));
        client = PagewireClient.builder(ClientFixture.base(server.port())).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void aMethodReturningAValueBlocksAndReturnsTheResult() {
        assertEquals("hello ann", client.proxy(Greeter.class).hello("ann"));
    }

    @Test
    void recordsDatesAndDecimalsTravelBothWays() {
        Booking booking = new Booking(LocalDate.of(2026, 12, 31), new BigDecimal("10.50"), List.of("ann", "bob"));

        Booking postponed = client.proxy(Greeter.class).postpone(booking);

        assertEquals(new Booking(LocalDate.of(2027, 1, 1), new BigDecimal("11.50"), List.of("ann", "bob")), postponed);
    }

    @Test
    void aLongBeyondWhatADoubleHoldsArrivesExactly() {
        assertEquals(63, client.proxy(Greeter.class).bitCount(Long.MAX_VALUE));
    }

    @Test
    void aMethodReturningAFutureReturnsAtOnceAndCompletesWithTheServersStage() throws Exception {
        SERVICE.pending = new CompletableFuture<>();
        CompletableFuture<String> later = client.proxy(Greeter.class).later();

        assertFalse(later.isDone(), "the server's stage has not completed");
        SERVICE.pending.complete("done");

        assertEquals("done", later.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anExceptionTheServerMarkedVisibleIsThrownWithItsNameAndMessage() {
        PagewireCallException thrown = assertThrows(PagewireCallException.class,
                () -> client.proxy(Greeter.class).refuse("fully booked"));

        assertEquals("EXCEPTION", thrown.code());
        assertEquals("Refusal", thrown.name());
        assertEquals("fully booked", thrown.getMessage());
    }

    @Test
    void aFutureFailsWithTheCallsError() {
        CompletableFuture<Void> refused = client.proxy("Greeter", GreeterLater.class).refuse("closed");

        ExecutionException failed = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        PagewireCallException error = assertInstanceOf(PagewireCallException.class, failed.getCause());
        assertEquals("EXCEPTION", error.code());
        assertEquals("closed", error.getMessage());
    }

    @Test
    void aMethodTheServerDoesNotExposeIsNotFound() {
        PagewireCallException thrown = assertThrows(PagewireCallException.class, () -> client.proxy(Greeter.class).absent());

        assertEquals("NOT_FOUND", thrown.code());
    }

    @Test
    void callWithoutAnInterfaceAnswersJson() throws Exception {
        JsonElement result = client.call("Greeter", "hello", "bob").get(10, TimeUnit.SECONDS);

        assertEquals("hello bob", result.getAsString());
    }
}
