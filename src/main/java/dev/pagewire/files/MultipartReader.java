package dev.pagewire.files;

import dev.pagewire.web.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a call that carries files: a {@code multipart/form-data} body whose first part, {@code
 * batch}, is the JSON of {@code POST call}, followed by one part per file. Each file goes to a
 * temporary file through a 64 KB buffer as it arrives, so no file is ever held in memory, and
 * every limit is checked while reading: the whole body is read (and refused, if need be) before
 * any call runs.
 *
 * <p>Pagewire reads multipart itself rather than through the container's {@code getParts()}: the
 * container's parser needs a {@code MultipartConfigElement} on every way the servlet is registered
 * (embedded, {@code web.xml}, Spring Boot, Jetty), reports its limits with its own exceptions, and
 * would spool the body before Pagewire could refuse it with the limit named.
 *
 * <p>Stateless and thread-safe; one request is read on its own thread.
 */
public final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_BOUNDARY = 200;
    private static final int MAX_PREAMBLE = 1024;
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final UploadLimits limits;
    private final Path folder;

    /** {@code folder}: where temporary files go, {@code null} for the JVM's temporary folder. */
    public MultipartReader(UploadLimits limits, Path folder) {
        this.limits = limits;
        this.folder = folder;
    }

    /** Whether {@code contentType} is {@code multipart/form-data} (any case, parameters after). */
    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * Reads the whole body; on a refusal, the files read so far are deleted and the rest of the
     * body is read and dropped (up to what the limits allow), so that the client gets the answer.
     *
     * @throws Refusal 413 {@code PAYLOAD_TOO_LARGE} naming the limit; 400 {@code MALFORMED}
     */
    public Uploads read(HttpServletRequest request) throws IOException {
        byte[] boundary = boundary(request.getContentType());
        if (request.getContentLengthLong() > limits.maxRequestBytes()) {
            throw new Refusal(413, "PAYLOAD_TOO_LARGE", "the request exceeds what maxUploadBytesPerCall ("
                    + limits.maxCallBytes() + " bytes of files) and maxBodyBytes allow");
        }
        InputStream in = request.getInputStream();
        List<StoredUpload> files = new ArrayList<>();
        try {
            return parts(new Scanner(in, boundary), files);
        } catch (IOException | RuntimeException e) {
            for (StoredUpload f : files) {
                f.delete();
            }
            if (e instanceof Refusal) {
                drain(in);
            }
            throw e;
        }
    }

    private Uploads parts(Scanner scan, List<StoredUpload> files) throws IOException {
        scan.copyToDelimiter(new Limited(OutputStream.nullOutputStream(), MAX_PREAMBLE,
                () -> Refusal.malformed("the multipart body does not start with its boundary")));
        byte[] json = null;
        long total = 0;
        while (scan.afterDelimiterIsPart()) {
            Part part = Part.of(scan.headers());
            if (json == null) {
                if (!"batch".equals(part.name) || part.filename != null) {
                    throw Refusal.malformed("the first part must be the JSON batch, named \"batch\"");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                scan.copyToDelimiter(new Limited(out, limits.maxJsonBytes(), () -> new Refusal(413,
                        "PAYLOAD_TOO_LARGE", "request body exceeds " + limits.maxJsonBytes() + " bytes")));
                json = out.toByteArray();
                continue;
            }
            if (part.filename == null) {
                throw Refusal.malformed("every part after the batch must be a file (with a filename)");
            }
            if (files.size() == limits.maxFiles()) {
                throw new Refusal(413, "PAYLOAD_TOO_LARGE", "more than maxUploadFiles (" + limits.maxFiles()
                        + ") files in one call");
            }
            total += file(scan, part, files, total);
        }
        if (json == null) {
            throw Refusal.malformed("the multipart body has no \"batch\" part");
        }
        return new Uploads(json, files);
    }

    /** Writes one file part to a temporary file; returns its size. */
    private long file(Scanner scan, Part part, List<StoredUpload> files, long before) throws IOException {
        Path temp = folder == null ? Files.createTempFile("pagewire-upload-", ".tmp")
                : Files.createTempFile(folder, "pagewire-upload-", ".tmp");
        StoredUpload upload = new StoredUpload(part.filename, part.type, temp);
        files.add(upload);
        boolean fileLimit = limits.maxFileBytes() <= limits.maxCallBytes() - before;
        long room = fileLimit ? limits.maxFileBytes() : limits.maxCallBytes() - before;
        try (OutputStream out = Files.newOutputStream(temp)) {
            Limited sink = new Limited(out, room, () -> new Refusal(413, "PAYLOAD_TOO_LARGE", fileLimit
                    ? "the file " + part.filename + " exceeds maxUploadBytes (" + limits.maxFileBytes() + " bytes)"
                    : "the files of one call exceed maxUploadBytesPerCall (" + limits.maxCallBytes() + " bytes)"));
            scan.copyToDelimiter(sink);
            upload.setSize(sink.count);
            return sink.count;
        }
    }

    /** Reads and drops the rest of a refused body, up to what the limits allow, so the reply reaches the client. */
    private void drain(InputStream in) {
        byte[] buf = new byte[BUFFER];
        long left = limits.maxRequestBytes();
        try {
            for (int n; left > 0 && (n = in.read(buf)) >= 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            // the client went away: nobody to answer
        }
    }

    private static byte[] boundary(String contentType) {
        String b = null;
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                b = unquote(p.substring(9).trim());
            }
        }
        if (b == null || b.isEmpty() || b.length() > MAX_BOUNDARY) {
            throw Refusal.malformed("multipart/form-data needs a boundary of 1 to " + MAX_BOUNDARY + " characters");
        }
        return ("\r\n--" + b).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** The headers of one part that matter: its field name, file name and type. */
    private record Part(String name, String filename, String type) {
        static Part of(List<String> headers) {
            String name = null;
            String filename = null;
            String type = DEFAULT_TYPE;
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    throw Refusal.malformed("a part header without ':'");
                }
                String key = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (key.equals("content-disposition")) {
                    name = param(value, "name");
                    filename = param(value, "filename");
                } else if (key.equals("content-type") && !value.isEmpty()) {
                    type = value.length() > 200 ? DEFAULT_TYPE : value;
                }
            }
            return new Part(name, filename == null ? null : FileNames.clean(filename), type);
        }

        /** A parameter of Content-Disposition; quoted values as browsers write them (HTML's %22, %0D, %0A). */
        private static String param(String header, String wanted) {
            int i = header.indexOf(';');
            while (i >= 0 && i < header.length()) {
                int eq = header.indexOf('=', i);
                if (eq < 0) {
                    return null;
                }
                String key = header.substring(i + 1, eq).trim();
                int end;
                String value;
                if (eq + 1 < header.length() && header.charAt(eq + 1) == '"') {
                    end = header.indexOf('"', eq + 2);
                    if (end < 0) {
                        throw Refusal.malformed("an unterminated quoted value in Content-Disposition");
                    }
                    value = header.substring(eq + 2, end).replace("%22", "\"").replace("%0D", "").replace("%0A", "");
                    end = header.indexOf(';', end);
                } else {
                    end = header.indexOf(';', eq);
                    value = header.substring(eq + 1, end < 0 ? header.length() : end).trim();
                }
                if (key.equalsIgnoreCase(wanted)) {
                    return value;
                }
                i = end;
            }
            return null;
        }
    }

    /** An output that refuses past {@code max} bytes. */
    private static final class Limited {
        private final OutputStream out;
        private final long max;
        private final java.util.function.Supplier<Refusal> refusal;
        long count;

        Limited(OutputStream out, long max, java.util.function.Supplier<Refusal> refusal) {
            this.out = out;
            this.max = max;
            this.refusal = refusal;
        }

        void write(byte[] b, int off, int len) throws IOException {
            count += len;
            if (count > max) {
                throw refusal.get();
            }
            out.write(b, off, len);
        }
    }

    /**
     * The body, read through one buffer: content up to the next delimiter ({@code CRLF--boundary}),
     * and part headers. The buffer starts with a CRLF, so the first boundary is a delimiter too.
     */
    private static final class Scanner {
        private static final int MAX_HEADERS = 8192;
        private final InputStream in;
        private final byte[] delimiter;
        private final byte[] buf = new byte[BUFFER];
        private int start;
        private int end;

        Scanner(InputStream in, byte[] delimiter) {
            this.in = in;
            this.delimiter = delimiter;
            buf[0] = '\r';
            buf[1] = '\n';
            end = 2;
        }

        /** Copies everything up to the next delimiter to {@code sink} and steps over the delimiter. */
        void copyToDelimiter(Limited sink) throws IOException {
            while (true) {
                int found = indexOf(delimiter);
                if (found >= 0) {
                    sink.write(buf, start, found - start);
                    start = found + delimiter.length;
                    return;
                }
                int keep = Math.max(start, end - delimiter.length + 1);
                sink.write(buf, start, keep - start);
                start = keep;
                fill();
            }
        }

        /** After a delimiter: {@code true} before a part (CRLF), {@code false} at the end ({@code --}). */
        boolean afterDelimiterIsPart() throws IOException {
            while (end - start < 2) {
                fill();
            }
            byte a = buf[start];
            byte b = buf[start + 1];
            start += 2;
            if (a == '-' && b == '-') {
                return false;
            }
            if (a == '\r' && b == '\n') {
                return true;
            }
            throw Refusal.malformed("malformed multipart body after a boundary");
        }

        /** The part's header lines, up to the empty line. */
        List<String> headers() throws IOException {
            List<String> lines = new ArrayList<>();
            int read = 0;
            while (true) {
                int eol = indexOf(CRLF);
                if (eol < 0) {
                    if (end - start + read > MAX_HEADERS) {
                        throw Refusal.malformed("part headers longer than " + MAX_HEADERS + " bytes");
                    }
                    fill();
                    continue;
                }
                read += eol - start + 2;
                if (read > MAX_HEADERS) {
                    throw Refusal.malformed("part headers longer than " + MAX_HEADERS + " bytes");
                }
                String line = new String(buf, start, eol - start, StandardCharsets.UTF_8);
                start = eol + 2;
                if (line.isEmpty()) {
                    return lines;
                }
                lines.add(line);
            }
        }

        private static final byte[] CRLF = {'\r', '\n'};

        private int indexOf(byte[] what) {
            byte first = what[0];
            outer:
            for (int i = start; i <= end - what.length; i++) {
                if (buf[i] != first) {
                    continue;
                }
                for (int k = 1; k < what.length; k++) {
                    if (buf[i + k] != what[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private void fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw Refusal.malformed("the multipart body ends before its closing boundary");
            }
            end += n;
        }
    }
}
