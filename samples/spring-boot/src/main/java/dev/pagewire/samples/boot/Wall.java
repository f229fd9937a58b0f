package dev.pagewire.samples.boot;

import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Roles;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/** A wall of short notes: a singleton bean, one for the application; each note is pushed to every page. */
@Service
@RemoteProxy
public class Wall {
    private final Pages pages;
    private final List<String> notes = new CopyOnWriteArrayList<>();

    /** The starter's {@link Pages} bean is injected like any other. */
    public Wall(Pages pages) {
        this.pages = pages;
    }

    /** The notes so far, for a page that just opened. */
    @RemoteMethod
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Adds a note signed by the logged-in user (or "guest") and pushes it to every page. */
    @RemoteMethod
    public void post(String text, Principal user) {
        String note = (user == null ? "guest" : user.getName()) + ": " + text.strip();
        notes.add(note);
        pages.all().call("wall.show", note);
    }

    /** Clears the wall on every page: administrators only (log in as ann). */
    @RemoteMethod
    @Roles("ADMIN")
    public void clear() {
        notes.clear();
        pages.all().call("wall.clear");
    }
}
