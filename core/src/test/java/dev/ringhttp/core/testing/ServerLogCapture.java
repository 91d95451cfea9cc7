package dev.ringhttp.core.testing;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes what the server logs at WARNING and above (its {@code System.Logger}s write to
 * java.util.logging unless the application routes them elsewhere) and keeps the server's log off
 * the console while installed. A test that runs hostile clients turns every such record into a
 * failure, except those it provoked on purpose.
 */
public final class ServerLogCapture extends Handler implements AutoCloseable {

    /** The parent of every logger of the server. */
    public static final String SERVER_LOGGERS = "dev.ringhttp.core";

    private final Logger logger = Logger.getLogger(SERVER_LOGGERS);
    private final Consumer<LogRecord> warnings;
    private final boolean usedParentHandlers;

    private ServerLogCapture(Consumer<LogRecord> warnings) {
        this.warnings = warnings;
        usedParentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Installs a capture that hands every record at WARNING or above to {@code warnings}. */
    public static ServerLogCapture install(Consumer<LogRecord> warnings) {
        return new ServerLogCapture(warnings);
    }

    /** Whether {@code t} or one of its first causes has exactly {@code message}: a failure provoked on purpose. */
    public static boolean causedBy(Throwable t, String message) {
        for (int i = 0; t != null && i < 5; i++, t = t.getCause()) {
            if (message.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.accept(record);
        }
    }

    @Override
    public void flush() {
    }

    /** Uninstalls: the server's log goes where it went before. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
