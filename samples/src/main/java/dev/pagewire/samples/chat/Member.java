package dev.pagewire.samples.chat;

/** One member of a chat room: a name in a room, held by one page. */
record Member(String name, String room, String pageId) {
}
