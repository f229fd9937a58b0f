package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A method returning a file: the client gets a {@link FileDownload} it fetches once, with its own cookies. */
class ClientDownloadTest {
    private static final byte[] CSV = "name,text\nann,hi\nbob,hello\n".getBytes(StandardCharsets.UTF_8);

    /** Exposed: a CSV export. */
    public static final class Reports {
        /** The room's messages as CSV. */
        public dev.pagewire.FileDownload export(String room) {
            return dev.pagewire.FileDownload.of(room + ".csv", "text/csv", CSV.length, () -> new ByteArrayInputStream(CSV));
        }
    }

    /** The client's view of {@link Reports}. */
    interface ReportsClient {
        FileDownload export(String room);
    }

    /** Reports under another method name, for the asynchronous form. */
    interface AsyncReports {
        CompletableFuture<FileDownload> export(String room);
    }

    @Test
    void aReturnedFileIsFetchedOnceWithTheClientsCookies(@TempDir Path folder) throws Exception {
        try (TestServer server = TestServer.start(Pagewire.builder().expose(new Reports()));
             PagewireClient client = PagewireClient.builder(ClientFixture.base(server.port())).build()) {
            FileDownload download = client.proxy("Reports", ReportsClient.class).export("lobby");
            assertEquals("lobby.csv", download.name());
            assertEquals("text/csv", download.type());
            assertEquals(OptionalLong.of(CSV.length), download.size());
            assertTrue(download.url().toString().startsWith(ClientFixture.base(server.port()) + "/download/"), download.url().toString());

            Path saved = download.saveTo(folder.resolve("lobby.csv"));
            assertArrayEquals(CSV, Files.readAllBytes(saved));
            PagewireCallException again = assertThrows(PagewireCallException.class, download::open);
            assertEquals("DOWNLOAD_GONE", again.code());

            FileDownload later = client.proxy("Reports", AsyncReports.class).export("news").get();
            try (InputStream body = later.open()) {
                assertArrayEquals(CSV, body.readAllBytes());
            }
        }
    }
}
