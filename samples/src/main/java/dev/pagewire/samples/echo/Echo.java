package dev.pagewire.samples.echo;

import dev.pagewire.ClientVisible;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;

/** The smallest service: pages call {@code Echo.echo("hi")} and get {@code "hi"} back. */
@RemoteProxy
public class Echo {
    /** Longest delay {@link #delay} accepts, so a page cannot park a server thread for long. */
    static final int MAX_DELAY_MILLIS = 10_000;

    @RemoteMethod
    public String echo(String text) {
        return text;
    }

    /** Always fails with a client-visible exception carrying {@code text} as its message. */
    @RemoteMethod
    public String fail(String text) throws EchoException {
        throw new EchoException(text);
    }

    /** Echoes after {@code millis} (at most 10 s): shows how call timeouts behave. */
    @RemoteMethod
    public String delay(String text, int millis) throws InterruptedException {
        Thread.sleep(Math.max(0, Math.min(millis, MAX_DELAY_MILLIS)));
        return text;
    }

    /**
     * Pushes {@code count} echoes (at most 200) to the calling page only. On a passive page they
     * ride on this call's own reply.
     */
    @RemoteMethod
    public void burst(String text, int count, Pages pages) {
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
