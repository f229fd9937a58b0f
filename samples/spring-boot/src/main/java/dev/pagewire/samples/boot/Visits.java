package dev.pagewire.samples.boot;

import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import org.springframework.stereotype.Component;
import org.springframework.web.context.annotation.SessionScope;

/** Counts the page loads of one browser: a session-scoped bean, one per HTTP session. */
@Component
@SessionScope
@RemoteProxy
public class Visits {
    private int count;

    /** Counts one more page load of this browser and returns the count. */
    @RemoteMethod
    public synchronized int count() {
        return ++count;
    }
}
