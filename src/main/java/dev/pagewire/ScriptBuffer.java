package dev.pagewire;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Raw script for a page, built from code and safely encoded data:
 *
 * <pre>{@code
 * pages.forPath("/news/").script(new ScriptBuffer()
 *         .appendScript("document.title = ").appendData(headline).appendScript(";"));
 * }</pre>
 *
 * Data is encoded as JSON with {@code <}, {@code >}, {@code &}, {@code '} and {@code =} escaped,
 * so no value can close the script or inject code. Script updates are off unless both the server
 * ({@link Pagewire.Builder#allowScriptUpdates(boolean)}) and the page
 * ({@code pagewire.allowScriptUpdates(true)}) enable them; prefer {@link PageGroup#call}.
 * Not thread-safe while being built.
 */
public final class ScriptBuffer {
    /** One piece: code, or a value to encode. */
    record Part(boolean code, Object value) {
    }

    private final List<Part> parts = new ArrayList<>();

    /** An empty script, to fill with {@link #appendScript} and {@link #appendData}. */
    public ScriptBuffer() {
    }

    /** Appends code as it is. Never pass text that came from a user here: use {@link #appendData}. */
    public ScriptBuffer appendScript(String code) {
        parts.add(new Part(true, code));
        return this;
    }

    /** Appends {@code value} as a JavaScript literal (JSON of a convertible type). */
    public ScriptBuffer appendData(Object value) {
        parts.add(new Part(false, value));
        return this;
    }

    /** The script, with each data value encoded by {@code literal}. */
    String render(Function<Object, String> literal) {
        StringBuilder code = new StringBuilder();
        for (Part part : parts) {
            code.append(part.code() ? (String) part.value() : literal.apply(part.value()));
        }
        return code.toString();
    }
}
