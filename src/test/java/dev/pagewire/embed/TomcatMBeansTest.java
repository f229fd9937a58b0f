package dev.pagewire.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.testing.Ping;
import dev.pagewire.testing.RawHttp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Tomcat's own MBeans under {@link PagewireServer}: off unless asked for. Tomcat keeps one MBean
 * registry per JVM, so each case runs in a JVM of its own ({@link Probe}).
 */
class TomcatMBeansTest {
    /** Starts servers as {@code args[0]} says and prints what the platform MBeanServer holds. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "default" -> System.out.println(serveAndCount(false));
                case "on" -> System.out.println(serveAndCount(true));
                case "off-then-on" -> {
                    System.out.println(serveAndCount(false));
                    try {
                        System.out.println(serveAndCount(true));
                    } catch (IllegalStateException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.exit(0);
        }

        /** Serves two requests on two connections; counts Tomcat's request processor and connector MBeans. */
        private static String serveAndCount(boolean mbeans) throws IOException, MalformedObjectNameException {
            try (Pagewire pagewire = Pagewire.builder().expose(new Ping()).build()) {
                PagewireServer server = PagewireServer.create(pagewire).host("127.0.0.1").tomcatMBeans(mbeans).start(0);
                try {
                    for (int i = 0; i < 2; i++) {
                        try (RawHttp reply = RawHttp.send(server.port(), "GET", "/pagewire/engine.js", Map.of(), null)
                                .readHead()) {
                            if (reply.status() != 200) {
                                throw new IllegalStateException("engine.js: " + reply.status());
                            }
                        }
                    }
                    return "processors=" + count("*:type=RequestProcessor,*") + " connectors=" + count("*:type=Connector,*");
                } finally {
                    server.stop();
                }
            }
        }

        private static int count(String pattern) throws MalformedObjectNameException {
            return ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(pattern), null).size();
        }
    }

    @Test
    void byDefaultTomcatRegistersNoMBeansNotEvenOnePerRequest() throws Exception {
        assertEquals("processors=0 connectors=0", probe("default"));
    }

    @Test
    void turnedOnTomcatRegistersItsMBeansAsUsual() throws Exception {
        String seen = probe("on");
        assertTrue(seen.matches("processors=[1-9]\\d* connectors=[1-9]\\d*"), seen);
    }

    @Test
    void turningThemOnAfterAServerTurnedThemOffIsRefusedAndSaysWhy() throws Exception {
        String seen = probe("off-then-on");
        assertTrue(seen.startsWith("processors=0 connectors=0\nrefused: tomcatMBeans(true): Tomcat's MBeans are"
                + " already off in this JVM"), seen);
    }

    /** Runs {@link Probe} with {@code mode} in a JVM of its own; its output, trimmed. */
    private static String probe(String mode) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not end within 60 s");
        }
        byte[] out = process.getInputStream().readAllBytes(); // a few lines: they fit the pipe
        String seen = new String(out, StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), seen);
        return seen;
    }
}
