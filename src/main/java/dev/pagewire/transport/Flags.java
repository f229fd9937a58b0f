package dev.pagewire.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@link VarHandle}s on the {@code volatile boolean} flags of held-request objects: thousands of
 * those are parked at once, and an {@code AtomicBoolean} per flag would cost 16 bytes more each.
 */
final class Flags {
    private Flags() {
    }

    /** The handle on field {@code name} of the class that made {@code lookup}. */
    static VarHandle of(MethodHandles.Lookup lookup, String name) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
