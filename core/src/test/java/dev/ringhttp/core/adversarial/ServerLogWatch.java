package dev.ringhttp.core.adversarial;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Listens to the server's log during a run (the JDK's System.Logger goes to java.util.logging) and
 * keeps it off the console. Any warning or error is a violation (an unexpected exception in the loop,
 * a dying loop, a message that outgrew the ring), except the failures of handlers that throw on
 * purpose.
 */
final class ServerLogWatch extends Handler {

    private static final String SERVER_LOGGERS = "dev.ringhttp.core";

    private final Violations violations;
    private final Logger logger = Logger.getLogger(SERVER_LOGGERS);
    private boolean usedParent;

    ServerLogWatch(Violations violations) {
        this.violations = violations;
    }

    void install() {
        usedParent = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    void uninstall() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(usedParent);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue() || purposeful(record.getThrown())) {
            return;
        }
        StringBuilder detail = new StringBuilder(String.valueOf(record.getMessage()));
        Throwable t = record.getThrown();
        if (t != null) {
            detail.append(": ").append(t);
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(8, frames.length); i++) {
                detail.append("\n  at ").append(frames[i]);
            }
        }
        String kind = t instanceof StackOverflowError ? "server logged a StackOverflowError (unbounded recursion)"
                : "server logged " + record.getLevel() + ": " + firstWords(record.getMessage());
        violations.add(kind, detail.toString());
    }

    private static boolean purposeful(Throwable t) {
        for (int i = 0; t != null && i < 5; i++, t = t.getCause()) {
            if (AdversarialHandlers.THROW_MESSAGE.equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static String firstWords(String message) {
        if (message == null) {
            return "";
        }
        // Group by the message's kind, not by the connection id or path it names.
        return message.replaceAll("[0-9]+", "N").replaceAll("/[^ ]*", "/..")
                .substring(0, Math.min(60, message.length()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
