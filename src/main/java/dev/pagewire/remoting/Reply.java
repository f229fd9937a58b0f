package dev.pagewire.remoting;

import java.lang.reflect.Type;

/** The outcome of one call: a result of a declared type, or an error. */
public record Reply(long id, Object result, Type type, CallError error) {
    static Reply ok(long id, Object result, Type type) {
        return new Reply(id, result, type, null);
    }

    static Reply failed(long id, CallError error) {
        return new Reply(id, null, null, error);
    }
}
