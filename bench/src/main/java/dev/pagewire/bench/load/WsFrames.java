package dev.pagewire.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of WebSocket (RFC 6455) as far as the load generators need it: the upgrade
 * request, masked text frames out, and an incremental reader of the server's unmasked frames
 * (text, continuation, ping, close). Not thread-safe: one reader per connection, fed by its
 * selector thread.
 */
final class WsFrames {
    /** What the reader reports. */
    interface Handler {
        /** A whole text message (fragments joined), as ASCII/UTF-8 text. */
        void text(String message);

        /** The server sent a ping; {@code pong} is the frame to send back. */
        void ping(byte[] pong);

        /** The server closed the socket with this code (1005 if none). */
        void closed(int code);
    }

    private final Handler handler;
    private byte[] frame = new byte[4096];
    private int have;
    private byte[] message = new byte[4096];
    private int messageLen;

    WsFrames(Handler handler) {
        this.handler = handler;
    }

    /** The upgrade request for {@code path}, with the page's cookies (or none) and an Origin of the same host. */
    static byte[] upgrade(String path, String host, String cookie) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://" + host + "\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A client text frame (masked, as RFC 6455 requires of clients). */
    static byte[] text(String text) {
        return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] frame(int first, byte[] payload) {
        int len = payload.length;
        int headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
        byte[] out = new byte[headLen + 4 + len];
        out[0] = (byte) first;
        if (len < 126) {
            out[1] = (byte) (0x80 | len);
        } else if (len < 65536) {
            out[1] = (byte) (0x80 | 126);
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
        } else {
            out[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) ((long) len >>> (56 - 8 * i));
            }
        }
        int mask = ThreadLocalRandom.current().nextInt();
        for (int i = 0; i < 4; i++) {
            out[headLen + i] = (byte) (mask >>> (24 - 8 * i));
        }
        for (int i = 0; i < len; i++) {
            out[headLen + 4 + i] = (byte) (payload[i] ^ out[headLen + (i & 3)]);
        }
        return out;
    }

    /** Forgets a partial frame (a new connection). */
    void reset() {
        have = 0;
        messageLen = 0;
    }

    /** Feeds bytes read from the socket; reports every frame they complete. */
    void feed(byte[] buf, int off, int len) {
        if (have + len > frame.length) {
            frame = Arrays.copyOf(frame, Math.max(frame.length * 2, have + len));
        }
        System.arraycopy(buf, off, frame, have, len);
        have += len;
        int at = 0;
        while (true) {
            int used = one(at);
            if (used == 0) {
                break;
            }
            at += used;
        }
        System.arraycopy(frame, at, frame, 0, have - at);
        have -= at;
    }

    /** Handles the frame starting at {@code at} if it is complete; returns its length, or 0. */
    private int one(int at) {
        int left = have - at;
        if (left < 2) {
            return 0;
        }
        int opcode = frame[at] & 0x0f;
        boolean fin = (frame[at] & 0x80) != 0;
        int len7 = frame[at + 1] & 0x7f;
        int headLen = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
        if (left < headLen) {
            return 0;
        }
        long len = len7;
        if (len7 == 126) {
            len = ((frame[at + 2] & 0xff) << 8) | (frame[at + 3] & 0xff);
        } else if (len7 == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | (frame[at + 2 + i] & 0xff);
            }
        }
        if (left < headLen + len) {
            return 0;
        }
        int start = at + headLen;
        int n = (int) len;
        switch (opcode) {
            case 0x1, 0x0 -> {
                if (messageLen + n > message.length) {
                    message = Arrays.copyOf(message, Math.max(message.length * 2, messageLen + n));
                }
                System.arraycopy(frame, start, message, messageLen, n);
                messageLen += n;
                if (fin) {
                    String text = new String(message, 0, messageLen, StandardCharsets.UTF_8);
                    messageLen = 0;
                    handler.text(text);
                }
            }
            case 0x8 -> handler.closed(n >= 2 ? ((frame[start] & 0xff) << 8) | (frame[start + 1] & 0xff) : 1005);
            case 0x9 -> handler.ping(frame(0x8a, Arrays.copyOfRange(frame, start, start + n)));
            default -> { } // pong, binary: not used
        }
        return headLen + n;
    }
}
