package dev.pagewire.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pagewire.testing.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The Files sample in real Chromium: a file chosen in the page's file input goes up with progress and comes back by its Download button. */
class FilesBrowserTest extends SamplesFixture {
    @TempDir
    Path folder;

    @BeforeEach
    void open() {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", folder.resolve("saved").toString()));
        browser.driver().get(base + "/files/");
        browser.consoleErrors();
        assertEquals(true, browser.await("await pagewire.ready; return true;"));
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors());
    }

    private String status() {
        return browser.driver().findElement(By.id("status")).getText();
    }

    @Test
    void aChosenFileIsStoredWithProgressListedAndDownloadedAgain() throws IOException {
        byte[] bytes = new byte[3 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 13);
        }
        Path file = Files.write(folder.resolve("notes 2026.bin"), bytes);
        browser.driver().findElement(By.id("pick")).sendKeys(file.toString());

        Wait.until("the file stored", 20, () -> status().equals("Stored notes 2026.bin (" + bytes.length + " bytes)."));
        assertEquals("1", browser.driver().findElement(By.id("progress")).getAttribute("value"));
        var item = browser.driver().findElement(By.cssSelector("#files li[data-name='notes 2026.bin']"));
        item.findElement(By.tagName("button")).click();
        Path saved = folder.resolve("saved/notes 2026.bin");
        Wait.until("the download saved", 20, () -> Files.exists(saved) && saved.toFile().length() == bytes.length);
        assertArrayEquals(bytes, Files.readAllBytes(saved));
    }

    @Test
    void aFileOverTenMegabytesIsRefusedWithTheLimitNamed() throws IOException {
        Path big = Files.write(folder.resolve("big.bin"), new byte[(10 << 20) + 1]);
        browser.driver().findElement(By.id("pick")).sendKeys(big.toString());

        Wait.until("the refusal shown", 20, () -> status().equals(
                "big.bin: the file big.bin exceeds maxUploadBytes (" + (10 << 20) + " bytes)"));
    }
}
