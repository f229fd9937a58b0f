package dev.pagewire;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who may subscribe to, or publish on, the topics of a {@link TopicRule}: asked with the page and
 * the request of each subscribe or publish, on its request thread. Write one as a lambda (a Java
 * predicate) or take one of the factories.
 */
@FunctionalInterface
public interface TopicAccess {
    /** Whether the page making {@code request} may do it on {@code topic} (a name or a pattern). */
    boolean allows(Page page, HttpServletRequest request, String topic);

    /** Every page. */
    static TopicAccess anyone() {
        return (page, request, topic) -> true;
    }

    /**
     * Users in one of {@code roles} ({@link HttpServletRequest#isUserInRole}), as {@link Roles}
     * means them: {@code "*"} is any logged-in user.
     */
    static TopicAccess roles(String... roles) {
        List<String> allowed = List.of(roles);
        return (page, request, topic) -> request.getUserPrincipal() != null
                && allowed.stream().anyMatch(r -> r.equals("*") || request.isUserInRole(r));
    }

    /** Logged-in users whose principal {@code test} accepts. */
    static TopicAccess principal(Predicate<Principal> test) {
        Objects.requireNonNull(test, "test");
        return (page, request, topic) -> request.getUserPrincipal() != null && test.test(request.getUserPrincipal());
    }

    /**
     * Pages subscribed now to the topic, by a pattern that matches it: "only those who joined may
     * speak", for {@link TopicRule#publish}, as a chat room's. Topics answers it from its own
     * subscriptions; as a subscribe rule it allows nothing.
     */
    static TopicAccess subscribers() {
        return SubscribersOnly.INSTANCE;
    }

    /** Pages whose attribute {@code name} equals {@code value} (set by a remote method, say at login). */
    static TopicAccess attribute(String name, Object value) {
        Objects.requireNonNull(value, "value");
        return (page, request, topic) -> value.equals(page.getAttribute(name));
    }
}

/** The one {@link TopicAccess#subscribers()}, which the topics recognise and answer themselves. */
final class SubscribersOnly implements TopicAccess {
    static final SubscribersOnly INSTANCE = new SubscribersOnly();

    private SubscribersOnly() {
    }

    @Override
    public boolean allows(Page page, HttpServletRequest request, String topic) {
        return false; // asked of a page not yet subscribed: the hub answers for subscribed ones
    }
}
