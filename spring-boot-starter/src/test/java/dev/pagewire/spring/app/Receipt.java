package dev.pagewire.spring.app;

import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import org.springframework.stereotype.Component;
import org.springframework.web.context.annotation.RequestScope;

/** One receipt per request, or per call over a WebSocket (a request-scoped bean). */
@Component
@RequestScope
@RemoteProxy
public class Receipt {
    private int lines;

    /** Adds a line to this request's receipt; returns how many it has. */
    @RemoteMethod
    public int line() {
        return ++lines;
    }
}
