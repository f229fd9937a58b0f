package dev.pagewire.remoting;

import dev.pagewire.convert.InjectedParameter;
import java.lang.reflect.Type;

/**
 * One declared parameter of a remote method.
 *
 * @param name     the Java parameter name ({@code arg0} unless compiled with {@code -parameters})
 * @param type     the declared generic type
 * @param injected how the server supplies it, or {@code null} when the page sends it
 */
public record RemoteParameter(String name, Type type, InjectedParameter injected) {
    /** Whether the page sends this parameter. */
    boolean sent() {
        return injected == null;
    }

    /** Whether it takes the files of a multipart call ({@link FileArguments}). */
    boolean files() {
        return FileArguments.accepts(type);
    }
}
