package dev.pagewire.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, so a test can cut the connection for real at any
 * point: after sending, mid-body, mid-event. Reads chunked bodies incrementally.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean chunked;
    private long remainingInChunk;
    private boolean ended;
    private final StringBuilder seen = new StringBuilder();

    /** Everything read from the body so far (for failure messages). */
    public String seen() {
        return seen.toString();
    }

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends a request; {@code body} may be null; {@code Host} is {@code localhost:port} unless given. */
    public static RawHttp send(int port, String method, String path, Map<String, String> headers, String body)
            throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            head.append("Host: localhost:").append(port).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
        return new RawHttp(socket);
    }

    /** Reads the status line and headers. */
    public RawHttp readHead() throws IOException {
        String statusLine = readLine(in);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (!chunked) {
            remainingInChunk = Long.parseLong(headers.getOrDefault("content-length", "0"));
        }
        return this;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next line of the body (without the newline), or {@code null} at its end. */
    public String readBodyLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Reads up to {@code n} bytes of the body (fewer at its end). */
    public void skipBodyBytes(int n) throws IOException {
        for (int i = 0; i < n && readBodyByte() >= 0; i++) {
            // discard
        }
    }

    /** The rest of the body. */
    public String readBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        while ((b = readBodyByte()) >= 0) {
            body.write(b);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private int readBodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (remainingInChunk == 0) {
            if (!chunked) {
                ended = true;
                return -1;
            }
            String size = readLine(in);
            if (size.isEmpty()) {
                size = readLine(in); // the CRLF that ends the previous chunk
            }
            remainingInChunk = Long.parseLong(size.split(";")[0].trim(), 16);
            if (remainingInChunk == 0) {
                ended = true;
                return -1;
            }
        }
        int b = in.read();
        if (b < 0) {
            ended = true;
            return -1;
        }
        remainingInChunk--;
        seen.append((char) b);
        return b;
    }

    /**
     * Reads one line of an HTTP head or chunk frame from {@code in}, without its CR LF; fails if the
     * connection closed before the line began.
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Cuts the connection: no FIN-and-wait, the socket is simply closed. */
    @Override
    public void close() throws IOException {
        socket.setSoLinger(true, 0); // RST: the server sees the page vanish mid-exchange
        socket.close();
    }
}
