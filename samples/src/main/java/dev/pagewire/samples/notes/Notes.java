package dev.pagewire.samples.notes;

import dev.pagewire.ClientVisible;
import dev.pagewire.Pages;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;

/** Notes: a note sent from one window appears in every window on /notes/. */
@RemoteProxy
public class Notes {
    static final int MAX_LENGTH = 500;

    /** Shows {@code text} on every page at /notes/ (the sender's included). */
    @RemoteMethod
    public void send(String text, Pages pages) {
        String note = text == null ? "" : text.strip();
        if (note.isEmpty() || note.length() > MAX_LENGTH) {
            throw new BadNote("A note has 1 to " + MAX_LENGTH + " characters.");
        }
        pages.forPath("/notes/").call("notes.show", note);
    }

    /** Does nothing: a passive page calls it to collect what was pushed meanwhile. */
    @RemoteMethod
    public void check() {
    }

    /** Why a note was refused; the page shows the message. */
    @ClientVisible
    public static class BadNote extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadNote(String message) {
            super(message);
        }
    }
}
