package dev.pagewire.spring.app;

import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Roles;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** A shared message board (a singleton bean): posts are pushed to every page. */
@Component
@RemoteProxy
public class Board {
    private final Pages pages;
    private final List<String> posts = new CopyOnWriteArrayList<>();

    public Board(Pages pages) {
        this.pages = pages;
    }

    /** Adds a post, signed by the caller, and pushes it to every page; returns the number of posts. */
    @RemoteMethod
    public int post(String text, Principal user) {
        String line = (user == null ? "anonymous" : user.getName()) + ": " + text;
        posts.add(line);
        pages.all().call("board.show", line);
        return posts.size();
    }

    /** The caller's name as Spring Security's own holder has it, as code using it directly reads it. */
    @RemoteMethod
    public String whoAmI() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        return user == null ? "nobody" : user.getName();
    }

    /** Removes every post: administrators only. */
    @RemoteMethod
    @Roles("ADMIN")
    public int clear() {
        int removed = posts.size();
        posts.clear();
        return removed;
    }
}
