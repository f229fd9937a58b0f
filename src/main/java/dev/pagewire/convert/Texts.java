package dev.pagewire.convert;

/** Keeps client-supplied text out of messages at any length that could matter. */
final class Texts {
    private Texts() {
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
