package dev.pagewire.push;

/** Why a page ended, as its lifecycle log tells. */
public enum EndReason {
    /** The page said goodbye (the engine's unload beacon). */
    UNLOADED,
    /** The page was not heard from for the idle timeout. */
    IDLE,
    /** The page was never heard from after its handshake, for the first-contact timeout. */
    FIRST_CONTACT_TIMEOUT,
    /** Its HTTP session was invalidated or expired. */
    HTTP_SESSION_ENDED,
    /** A newer page of the same browser went past the per-browser cap, and this one was seen least recently. */
    EVICTED_OVER_CAP,
    /** Application code called {@link dev.pagewire.Page#invalidate()}. */
    INVALIDATED,
    /** The server is stopping ({@link dev.pagewire.Pagewire#close()}). */
    CLOSED
}
