package dev.pagewire.spring.app;

import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.context.annotation.SessionScope;

/** One basket per HTTP session (a session-scoped bean). */
@Component
@SessionScope
@RemoteProxy
public class Basket {
    private final List<String> items = new ArrayList<>();

    /** Adds an item; returns the basket's size. */
    @RemoteMethod
    public synchronized int add(String item) {
        items.add(item);
        return items.size();
    }
}
