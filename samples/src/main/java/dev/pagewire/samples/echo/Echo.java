package dev.pagewire.samples.echo;

import dev.pagewire.ClientVisible;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The smallest service: pages call {@code Echo.echo("hi")} and get {@code "hi"} back. */
@RemoteProxy
public class Echo {
    /** Longest delay {@link #delay} waits; a batch of delays waits for the longest, not their sum. */
    static final int MAX_DELAY_MILLIS = 10_000;
    /**
     * Longest text {@link #burst} pushes back: 200 echoes of it fit well within a page's queue
     * ({@code maxQueuedChars}), so a long text is refused with a message, not failed as an incident.
     */
    static final int MAX_BURST_TEXT = 1000;

    @RemoteMethod
    public String echo(String text) {
        return text;
    }

    /** Always fails with a client-visible exception carrying {@code text} as its message. */
    @RemoteMethod
    public String fail(String text) throws EchoException {
        throw new EchoException(text);
    }

    /**
     * Echoes after {@code millis} (at most 10 s): shows how call timeouts behave. The wait is a
     * timer, not a sleeping thread, so the delays of a batch run side by side (and within the
     * server's batch time budget) while no server thread waits for them.
     */
    @RemoteMethod
    public CompletionStage<String> delay(String text, int millis) {
        long wait = Math.max(0, Math.min(millis, MAX_DELAY_MILLIS));
        return CompletableFuture.supplyAsync(() -> text, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS));
    }

    /**
     * Pushes {@code count} echoes (at most 200) to the calling page only. On a passive page they
     * ride on this call's own reply.
     *
     * @throws EchoException if {@code text} is longer than {@value #MAX_BURST_TEXT} characters
     */
    @RemoteMethod
    public void burst(String text, int count, Pages pages) throws EchoException {
        if (text.length() > MAX_BURST_TEXT) {
            throw new EchoException("Echo.burst takes at most " + MAX_BURST_TEXT + " characters, got " + text.length());
        }
        for (int i = 1; i <= Math.max(0, Math.min(count, 200)); i++) {
            pages.current().call("echoes.add", text, i);
        }
    }

    /** An exception whose message the page may see. */
    @ClientVisible
    public static class EchoException extends Exception {
        private static final long serialVersionUID = 1L;

        public EchoException(String message) {
            super(message);
        }
    }
}
