package dev.pagewire.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * An incremental parser of HTTP/1.1 responses on one keep-alive connection: status line and
 * headers, then a body framed by {@code Content-Length} or chunked encoding, handed on as it
 * arrives (a stream that never ends, such as Server-Sent Events, is fine). After a {@code 101}
 * (a WebSocket upgrade) every later byte goes to {@link Handler#body} as it is. Not thread-safe: one
 * per connection, fed by its selector thread.
 */
final class HttpParser {
    /** What the parser reports, in order: headers, body pieces, complete. */
    interface Handler {
        void headers(int status, String head);

        void body(byte[] buf, int off, int len);

        void complete(boolean close);
    }

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILER, UPGRADED }

    private final Handler handler;
    private final StringBuilder line = new StringBuilder();
    private byte[] head = new byte[1024];
    private int headLen;
    private State state = State.HEAD;
    private long remaining;
    private boolean close;

    HttpParser(Handler handler) {
        this.handler = handler;
    }

    /** Resets for a new connection. */
    void reset() {
        state = State.HEAD;
        headLen = 0;
        line.setLength(0);
    }

    void feed(byte[] buf, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (state) {
                case HEAD -> {
                    byte b = buf[i++];
                    if (headLen == head.length) {
                        head = java.util.Arrays.copyOf(head, head.length * 2);
                    }
                    head[headLen++] = b;
                    if (b == '\n' && headLen >= 4 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n') {
                        headDone();
                    }
                }
                case UPGRADED -> { // a 101: from here on the bytes are another protocol's
                    handler.body(buf, i, end - i);
                    i = end;
                }
                case FIXED -> {
                    int n = (int) Math.min(remaining, end - i);
                    handler.body(buf, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        done();
                    }
                }
                case CHUNK_SIZE -> {
                    byte b = buf[i++];
                    if (b == '\n') {
                        String size = line.toString().trim();
                        int semi = size.indexOf(';');
                        remaining = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
                        line.setLength(0);
                        state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                    } else {
                        line.append((char) b);
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    handler.body(buf, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_CRLF;
                        remaining = 2;
                    }
                }
                case CHUNK_CRLF -> {
                    i++;
                    if (--remaining == 0) {
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILER -> {
                    byte b = buf[i++];
                    if (b == '\n') {
                        if (line.length() == 0 || line.toString().equals("\r")) {
                            line.setLength(0);
                            done();
                        } else {
                            line.setLength(0);
                        }
                    } else {
                        line.append((char) b);
                    }
                }
            }
        }
    }

    private void headDone() {
        String text = new String(head, 0, headLen, StandardCharsets.ISO_8859_1);
        headLen = 0;
        int status = Integer.parseInt(text.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        close = false;
        for (String h : text.split("\r\n")) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        handler.headers(status, text);
        if (status == 101) {
            state = State.UPGRADED; // no complete(): the connection now belongs to the new protocol
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length > 0) {
            state = State.FIXED;
            remaining = length;
        } else {
            done(); // no body (204, or Content-Length: 0)
        }
    }

    private void done() {
        state = State.HEAD;
        handler.complete(close);
    }

    /** The value of a cookie set in {@code head} ({@code Set-Cookie: NAME=value; ...}), or null. */
    static String cookie(String head, String name) {
        for (String h : head.split("\r\n")) {
            if (h.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
                String v = h.substring(11).trim();
                if (v.startsWith(name + "=")) {
                    int semi = v.indexOf(';');
                    return v.substring(name.length() + 1, semi < 0 ? v.length() : semi);
                }
            }
        }
        return null;
    }

    /**
     * The {@code Cookie} header value a handshake's reply asks for: the HTTP session's {@code
     * JSESSIONID} (in memory) and Pagewire's signed browser cookie {@code pagewire} (on Redis,
     * where a page has no HTTP session and every node checks that cookie); null if neither was set.
     */
    static String handshakeCookies(String head) {
        String session = cookie(head, "JSESSIONID");
        String browser = cookie(head, "pagewire");
        if (session == null || browser == null) {
            return session != null ? "JSESSIONID=" + session : browser != null ? "pagewire=" + browser : null;
        }
        return "JSESSIONID=" + session + "; pagewire=" + browser;
    }

    /** A string member of a flat JSON reply, e.g. {@code "page"}, found by text (the benchmark's own replies). */
    static String jsonString(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }
}
