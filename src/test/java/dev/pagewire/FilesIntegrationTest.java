package dev.pagewire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.Served;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls carrying files ({@code multipart/form-data} to {@code POST call}) and downloads ({@code
 * GET download/{id}}), over real HTTP: what reaches the method, the limits and their refusals,
 * the temporary files, and one-time, session-bound, ranged downloads.
 */
class FilesIntegrationTest {
    /** Files in the JVM's temporary folder that hold uploads. */
    static List<Path> uploadTemps() {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("pagewire-upload-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Attachments {
        static final AtomicInteger RUNS = new AtomicInteger();
        static volatile List<Path> tempsDuringCall = List.of();
        static volatile Path folder;

        public String describe(String label, FileUpload file, int n) throws Exception {
            RUNS.incrementAndGet();
            tempsDuringCall = uploadTemps().stream().filter(p -> p.toFile().length() == file.size()).toList();
            try (InputStream in = file.inputStream()) {
                return label + "|" + file.name() + "|" + file.type() + "|" + file.size() + "|" + sha256(in) + "|" + n;
            }
        }

        public List<String> names(List<FileUpload> files, FileUpload[] more) {
            RUNS.incrementAndGet();
            List<String> names = new ArrayList<>();
            files.forEach(f -> names.add(f.name() + ":" + f.size()));
            for (FileUpload f : more) {
                names.add(f.name() + ":" + f.size());
            }
            return names;
        }

        public long keep(FileUpload file) throws IOException {
            file.transferTo(folder.resolve("kept"));
            return Files.size(folder.resolve("kept"));
        }

        public CompletionStage<String> later(FileUpload file) {
            return CompletableFuture.supplyAsync(() -> {
                try (InputStream in = file.inputStream()) {
                    return "read " + in.readAllBytes().length;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        public String echo(String s) {
            return s;
        }

        public FileDownload report() throws IOException {
            return FileDownload.of(folder.resolve("report.bin"), "report.bin", "application/octet-stream");
        }

        public FileDownload named(String name, String type) {
            return FileDownload.of(name, type, 3, () -> new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
        }

        public FileDownload unknownLength() {
            return FileDownload.of("stream.txt", "text/plain", -1,
                    () -> new java.io.ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @TempDir
    static Path folder;
    static byte[] report;
    @AutoClose("stop")
    private static Served server;

    @BeforeAll
    static void start() throws IOException {
        Attachments.folder = folder;
        report = new byte[100_000];
        for (int i = 0; i < report.length; i++) {
            report[i] = (byte) (i * 7);
        }
        Files.write(folder.resolve("report.bin"), report);
        server = Served.start(Pagewire.builder().expose(new Attachments())
                .maxUploadBytes(1000).maxUploadBytesPerCall(1500).maxUploadFiles(3).build());
    }

    @BeforeEach
    void reset() throws IOException {
        Attachments.RUNS.set(0);
        Files.deleteIfExists(folder.resolve("kept"));
    }

    private PageClient page() {
        PageClient page = new PageClient(server.port());
        page.handshake("/files/");
        return page;
    }

    /** A file part: its field name, file name (null: a plain field) and bytes. */
    record Part(String field, String filename, String type, byte[] bytes) {
        static Part file(String filename, String type, byte[] bytes) {
            return new Part("file", filename, type, bytes);
        }

        static Part file(String filename, int size) {
            return file(filename, "application/octet-stream", new byte[size]);
        }
    }

    static byte[] multipart(String boundary, String batchJson, Part... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("batch", null, null, batchJson.getBytes(StandardCharsets.UTF_8)));
        parts.addAll(List.of(files));
        for (Part p : parts) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.field() + "\""
                    + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"") + "\r\n"
                    + (p.type() == null ? "" : "Content-Type: " + p.type() + "\r\n") + "\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.bytes());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static PageClient.Reply upload(PageClient page, String call, Part... files) {
        return upload(page, page.pageHeaders(), call, files);
    }

    static PageClient.Reply upload(PageClient page, Map<String, String> headers, String call, Part... files) {
        String boundary = "----pagewireTest" + System.nanoTime();
        HttpRequest.Builder b = HttpRequest.newBuilder(page.uri("/call")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, "{\"ack\":0,\"calls\":[" + call + "]}", files)));
        headers.forEach(b::setHeader);
        return page.send(b.build());
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            digest.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) throws Exception {
        return sha256(new java.io.ByteArrayInputStream(bytes));
    }

    @Test
    void aFileArgumentReachesTheMethodAsAStreamBesideOtherArgumentsAndItsTemporaryFileGoesAfterTheCall() throws Exception {
        byte[] bytes = new byte[999];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        bytes[10] = '\r'; // bytes that look like the start of a boundary must stay content
        bytes[11] = '\n';
        bytes[12] = '-';
        bytes[13] = '-';
        PageClient page = page();
        PageClient.Reply reply = upload(page,
                "{\"id\":1,\"proxy\":\"Attachments\",\"method\":\"describe\",\"args\":[\"L\",{\"$file\":0},7]}",
                Part.file("C:\\Users\\ann\\résumé %22v2%22.pdf", "application/pdf", bytes)); // as browsers write a quote

        assertEquals("L|résumé \"v2\".pdf|application/pdf|999|" + sha256(bytes) + "|7",
                reply.reply(0).get("result").getAsString());
        assertEquals(1, Attachments.tempsDuringCall.size(), "the upload was in a temporary file during the call");
        assertFalse(Files.exists(Attachments.tempsDuringCall.get(0)), "and is gone after it");
    }

    @Test
    void listsAndArraysOfFilesAndAMoveAndAnAsynchronousRead() {
        PageClient page = page();
        PageClient.Reply reply = upload(page,
                "{\"id\":1,\"proxy\":\"Attachments\",\"method\":\"names\",\"args\":[[{\"$file\":0},{\"$file\":1}],[{\"$file\":2}]]}",
                Part.file("a", 1), Part.file("b", 2), Part.file("c", 3));
        assertEquals("[\"a:1\",\"b:2\",\"c:3\"]", reply.reply(0).get("result").toString());

        assertEquals(500, upload(page, "{\"id\":2,\"proxy\":\"Attachments\",\"method\":\"keep\",\"args\":[{\"$file\":0}]}",
                Part.file("k", 500)).reply(0).get("result").getAsLong());
        assertTrue(Files.exists(folder.resolve("kept")), "transferTo moved the file");

        assertEquals("read 321", upload(page, "{\"id\":3,\"proxy\":\"Attachments\",\"method\":\"later\",\"args\":[{\"$file\":0}]}",
                Part.file("l", 321)).reply(0).get("result").getAsString());
    }

    @Test
    void aReferenceToAFileTheCallDidNotCarryIsBadArgumentsForThatCallAlone() {
        PageClient page = page();
        PageClient.Reply reply = upload(page,
                "{\"id\":1,\"proxy\":\"Attachments\",\"method\":\"describe\",\"args\":[\"x\",{\"$file\":1},1]},"
                        + "{\"id\":2,\"proxy\":\"Attachments\",\"method\":\"echo\",\"args\":[\"fine\"]}",
                Part.file("only", 1));
        assertEquals("BAD_ARGUMENTS", reply.reply(0).getAsJsonObject("error").get("code").getAsString());
        assertEquals("fine", reply.reply(1).get("result").getAsString());
        assertEquals("BAD_ARGUMENTS", page.callRaw("Attachments", "describe", "[\"x\",\"not a file\",1]")
                .getAsJsonObject("error").get("code").getAsString());
    }

    @Test
    void eachUploadLimitIsRefusedWith413NamingItAndNoCallRuns() {
        List<Path> before = uploadTemps();
        PageClient page = page();
        String describe = "{\"id\":1,\"proxy\":\"Attachments\",\"method\":\"names\",\"args\":[[],[{\"$file\":0}]]}";
        assertRefused(upload(page, describe, Part.file("big.bin", 1001)), "the file big.bin exceeds maxUploadBytes (1000 bytes)");
        assertRefused(upload(page, describe, Part.file("a", 800), Part.file("b", 800)),
                "the files of one call exceed maxUploadBytesPerCall (1500 bytes)");
        assertRefused(upload(page, describe, Part.file("a", 1), Part.file("b", 1), Part.file("c", 1), Part.file("d", 1)),
                "more than maxUploadFiles (3) files in one call");
        assertEquals(0, Attachments.RUNS.get(), "no call ran");
        assertEquals(before, uploadTemps(), "no temporary file is left");
        assertEquals("ok", page.call("Attachments", "echo", "ok").get("result").getAsString(), "the page goes on");
    }

    private static void assertRefused(PageClient.Reply reply, String message) {
        assertEquals(413, reply.status(), reply.body());
        assertEquals("PAYLOAD_TOO_LARGE", reply.errorCode());
        assertEquals(message, reply.json().getAsJsonObject("error").get("message").getAsString());
    }

    @Test
    void theTokenIsCheckedBeforeTheBodyIsReadAndMultipartNeedsItsBatchFirst() {
        PageClient page = page();
        String call = "{\"id\":1,\"proxy\":\"Attachments\",\"method\":\"names\",\"args\":[[],[{\"$file\":0}]]}";
        PageClient.Reply wrong = upload(page, Map.of("Pagewire-Page", page.pageId(), "Pagewire-Token", "wrong"),
                call, Part.file("a", 10));
        assertEquals(403, wrong.status());
        assertEquals("BAD_TOKEN", wrong.errorCode());

        String boundary = "b0undary";
        byte[] fileFirst = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx\r\n--"
                + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpRequest.Builder b = HttpRequest.newBuilder(page.uri("/call"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(fileFirst));
        page.pageHeaders().forEach(b::setHeader);
        PageClient.Reply malformed = page.send(b.build());
        assertEquals(400, malformed.status());
        assertEquals("MALFORMED", malformed.errorCode());
        assertEquals(0, Attachments.RUNS.get());
    }

    @Test
    void malformedMultipartBodiesAre400AndLeaveNoTemporaryFile() {
        PageClient page = page();
        List<Path> before = uploadTemps();
        String batch = "--b\r\nContent-Disposition: form-data; name=\"batch\"\r\n\r\n{\"calls\":[]}\r\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("multipart/form-data", batch + "--b--\r\n"); // no boundary parameter
        cases.put("multipart/form-data; boundary=" + "x".repeat(201), batch + "--b--\r\n");
        cases.put("multipart/form-data; boundary=b", batch + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
                + "X-Long: " + "y".repeat(9000) + "\r\n\r\nz\r\n--b--\r\n"); // headers past 8 KB
        cases.put("multipart/form-data; boundary=b ", batch + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n"
                + "cut off"); // no closing boundary
        cases.put("multipart/form-data; boundary=\"b\"", batch + "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "a field, not a file\r\n--b--\r\n");
        cases.forEach((type, body) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(page.uri("/call")).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            page.pageHeaders().forEach(b::setHeader);
            PageClient.Reply reply = page.send(b.build());
            assertEquals(400, reply.status(), type + ": " + reply.body());
            assertEquals("MALFORMED", reply.errorCode());
        });
        assertEquals(before, uploadTemps());
        assertEquals(0, Attachments.RUNS.get());
        assertEquals("ok", page.call("Attachments", "echo", "ok").get("result").getAsString());
    }

    @Test
    void theHandshakeTellsTheUploadLimits() {
        JsonObject limits = new PageClient(server.port()).handshake("/files/").getAsJsonObject("limits");
        assertEquals(1000, limits.get("maxUploadBytes").getAsLong());
        assertEquals(1500, limits.get("maxUploadBytesPerCall").getAsLong());
        assertEquals(3, limits.get("maxUploadFiles").getAsInt());
    }

    private static JsonObject downloadOf(PageClient page, String method, Object... args) {
        JsonObject result = page.call("Attachments", method, args).getAsJsonObject("result");
        assertEquals(1, result.size(), result.toString());
        return result.getAsJsonObject("$download");
    }

    private static HttpResponse<byte[]> get(PageClient page, String url, String range) {
        HttpRequest.Builder b = HttpRequest.newBuilder(page.uri(url)).timeout(Duration.ofSeconds(20)).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return page.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String code(HttpResponse<byte[]> response) {
        return com.google.gson.JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonObject("error").get("code").getAsString();
    }

    @Test
    void aDownloadServesItsFileOnceToTheSameHttpSessionOnly() {
        PageClient page = page();
        JsonObject link = downloadOf(page, "report");
        assertEquals("report.bin", link.get("name").getAsString());
        assertEquals(report.length, link.get("size").getAsLong());
        String url = link.get("url").getAsString();
        assertTrue(url.startsWith("/pagewire/download/"), url);

        PageClient stranger = page();
        HttpResponse<byte[]> refused = get(stranger, url, null);
        assertEquals(403, refused.statusCode());
        assertEquals("DOWNLOAD_FORBIDDEN", code(refused));
        HttpResponse<byte[]> cookieless = get(new PageClient(server.port()), url, null);
        assertEquals(403, cookieless.statusCode());

        HttpResponse<byte[]> first = get(page, url, null);
        assertEquals(200, first.statusCode());
        assertArrayEquals(report, first.body());
        assertEquals("attachment; filename=\"report.bin\"; filename*=UTF-8''report.bin",
                first.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("nosniff", first.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals(String.valueOf(report.length), first.headers().firstValue("Content-Length").orElseThrow());

        HttpResponse<byte[]> again = get(page, url, null);
        assertEquals(410, again.statusCode());
        assertEquals("DOWNLOAD_GONE", code(again));
        assertEquals(410, get(page, "/pagewire/download/nonsense", null).statusCode());
    }

    @Test
    void rangesOfAFileAre206AndLeaveTheDownloadUntilItIsFetchedWhole() {
        PageClient page = page();
        String url = downloadOf(page, "report").get("url").getAsString();

        HttpResponse<byte[]> middle = get(page, url, "bytes=10-19");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 10-19/" + report.length, middle.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(report, 10, 20), middle.body());
        assertEquals("bytes", middle.headers().firstValue("Accept-Ranges").orElseThrow());

        HttpResponse<byte[]> tail = get(page, url, "bytes=-5");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(report, report.length - 5, report.length), tail.body());

        HttpResponse<byte[]> rest = get(page, url, "bytes=99990-");
        assertEquals("bytes 99990-99999/" + report.length, rest.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> beyond = get(page, url, "bytes=100000-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + report.length, beyond.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> several = get(page, url, "bytes=0-1,5-6");
        assertEquals(200, several.statusCode(), "several ranges: the whole file");
        assertArrayEquals(report, several.body());
        assertEquals(410, get(page, url, "bytes=0-1").statusCode(), "fetched whole: gone");
    }

    @Test
    void aHostileNameCannotBreakTheHeaderAndAStreamOfUnknownLengthIsSentWhole() {
        PageClient page = page();
        JsonObject link = downloadOf(page, "named", "a\"b\r\nX-Evil: 1;\u00e9\u20ac.txt", "text/html\r\nX-Evil: 1");
        assertEquals("application/octet-stream", link.get("type").getAsString(), "a type with a line break is not sent");
        HttpResponse<byte[]> response = get(page, link.get("url").getAsString(), null);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("X-Evil").isEmpty());
        assertEquals("attachment; filename=\"a_bX-Evil: 1;__.txt\"; filename*=UTF-8''a%22bX-Evil%3A%201%3B%C3%A9%E2%82%AC.txt",
                response.headers().firstValue("Content-Disposition").orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3}, response.body());

        JsonObject stream = downloadOf(page, "unknownLength");
        assertTrue(stream.get("size").isJsonNull());
        HttpResponse<byte[]> streamed = get(page, stream.get("url").getAsString(), "bytes=0-1");
        assertEquals(200, streamed.statusCode(), "a stream ignores Range");
        assertEquals("streamed", new String(streamed.body(), StandardCharsets.UTF_8));
        assertEquals("none", streamed.headers().firstValue("Accept-Ranges").orElseThrow());
    }
}
