package dev.pagewire;

import jakarta.servlet.http.HttpSession;
import java.util.function.Predicate;

/**
 * Every loaded page, and the way to push to them: obtain it with {@link Pagewire#pages()}, or
 * declare a parameter of this type on a remote method.
 *
 * <pre>{@code
 * pages.forPath("/chat/").call("chatUi.addMessage", message);            // every chat page
 * pages.all().matching(s -> "ann".equals(s.getAttribute("user"))).call("inbox.refresh");
 * pages.current().proxy(ChatUi.class).addMessage(welcome);                // the calling page
 * }</pre>
 *
 * Thread-safe: push from request threads, schedulers or message listeners alike.
 */
public interface Pages {
    /** Every page. */
    PageGroup all();

    /** The pages at {@code path}; {@code /x/}, {@code /x/index.html} and {@code //x/} are the same. */
    PageGroup forPath(String path);

    /**
     * The pages at {@code path}.
     *
     * @deprecated renamed {@link #forPath(String)}: the argument is a path, not a page
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default PageGroup forPage(String path) {
        return forPath(path);
    }

    /** The pages {@code filter} accepts. */
    PageGroup matching(Predicate<Page> filter);

    /** The pages of one HTTP session (one browser). */
    PageGroup forHttpSession(HttpSession session);

    /** The page with that id (none if it has ended). */
    PageGroup byId(String pageId);

    /**
     * The page whose remote call is running on this thread.
     *
     * @throws IllegalStateException outside a remote call
     */
    PageGroup current();

    /** Hears pages start and end, and overflows; listeners run in the order added. */
    void addListener(PageListener listener);
}
