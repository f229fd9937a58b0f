package dev.pagewire;

import java.util.List;
import java.util.function.Predicate;

/**
 * Some pages, chosen by a {@link Pages} method, and what to push to them. The choice is made
 * again at every push, so a group kept in a field always means the pages open at that moment.
 * Every method may be called from any thread; pushes return at once, with the update queued for
 * each page (encoded once, whatever the number of pages).
 */
public interface PageGroup {
    /**
     * Calls a function the pages exposed with {@code pagewire.expose(name, object)}, e.g.
     * {@code call("chatUi.addMessage", message)}. Arguments are converted to JSON by the same
     * rules as remote methods' results, checked by their runtime classes: collections, arrays,
     * optionals and maps element by element, map keys being {@code String} or an enum. Nothing
     * is queued when an argument is refused.
     *
     * @throws IllegalArgumentException if {@code function} is not a dotted JavaScript name or an
     *                                  argument is not convertible (naming the argument, its class
     *                                  and where the offending value sits inside it)
     */
    void call(String function, Object... args);

    /**
     * A typed stand-in for a page object: each call of a method of {@code pageInterface} becomes
     * {@link #call} of {@code name.method} (the name from {@link PageInterface}). Methods must
     * return {@code void} and take convertible types.
     *
     * @throws IllegalArgumentException naming the method and type when the interface does not fit
     */
    <T> T proxy(Class<T> pageInterface);

    /**
     * Queues raw script.
     *
     * @throws IllegalStateException unless script updates are enabled on the server
     */
    void script(ScriptBuffer script);

    /** The same pages narrowed by {@code filter}, e.g. on a page attribute. */
    PageGroup matching(Predicate<Page> filter);

    /** The pages this group means now. */
    List<Page> pages();

    /**
     * The pages this group means now, by DWR's name.
     *
     * @deprecated use {@link #pages()}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @SuppressWarnings("removal")
    default List<ScriptSession> sessions() {
        return pages().stream().map(ScriptSession.class::cast).toList();
    }
}
