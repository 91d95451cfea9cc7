package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.ServerLogCapture;
import java.util.logging.LogRecord;

/**
 * Listens to the server's log during a run (the JDK's System.Logger goes to java.util.logging) and
 * keeps it off the console. Any warning or error is a violation (an unexpected exception in the loop,
 * a dying loop, a message that outgrew the ring), except the failures of handlers that throw on
 * purpose.
 */
final class ServerLogWatch {

    private final Violations violations;
    private ServerLogCapture capture;

    ServerLogWatch(Violations violations) {
        this.violations = violations;
    }

    void install() {
        capture = ServerLogCapture.install(this::publish);
    }

    void uninstall() {
        capture.close();
    }

    private void publish(LogRecord record) {
        if (ServerLogCapture.causedBy(record.getThrown(), AdversarialHandlers.THROW_MESSAGE)) {
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

    private static String firstWords(String message) {
        if (message == null) {
            return "";
        }
        // Group by the message's kind, not by the connection id or path it names.
        return message.replaceAll("[0-9]+", "N").replaceAll("/[^ ]*", "/..")
                .substring(0, Math.min(60, message.length()));
    }
}
