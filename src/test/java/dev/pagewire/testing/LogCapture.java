package dev.pagewire.testing;


import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the java.util.logging records of one logger and its children at FINE (System.Logger's
 * DEBUG) and above, for tests of what Pagewire logs. System.Logger's default backend is
 * java.util.logging, so {@code System.getLogger("dev.pagewire.push")} lands here. While capturing,
 * the records do not reach the console; {@link #close()} puts the logger back as it was.
 *
 * <p>Thread-safe: records arrive on whichever thread logs them.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger; // held strongly: java.util.logging keeps only weak references
    private final Level levelBefore;
    private final boolean parentHandlersBefore;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        this.levelBefore = logger.getLevel();
        this.parentHandlersBefore = logger.getUseParentHandlers();
        setLevel(Level.ALL);
    }

    /** Starts capturing {@code loggerName} (such as {@code "dev.pagewire"}) and its children. */
    public static LogCapture start(String loggerName) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.logger.setLevel(Level.FINE);
        capture.logger.setUseParentHandlers(false);
        capture.logger.addHandler(capture);
        return capture;
    }

    /** The records so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages of the records so far from {@code loggerName}, oldest first. */
    public List<String> messages(String loggerName) {
        return records.stream().filter(r -> loggerName.equals(r.getLoggerName())).map(LogRecord::getMessage).toList();
    }

    /** Waits (20 s at most) for a message from {@code loggerName} that {@code test} accepts, and returns it. */
    public String await(String loggerName, Predicate<String> test, String what) {
        Wait.until("a log from " + loggerName + " " + what,
                20, () -> messages(loggerName).stream().anyMatch(test));
        return messages(loggerName).stream().filter(test).findFirst().orElseThrow();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    /** Stops capturing and restores the logger's level and console output. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(levelBefore);
        logger.setUseParentHandlers(parentHandlersBefore);
    }
}
