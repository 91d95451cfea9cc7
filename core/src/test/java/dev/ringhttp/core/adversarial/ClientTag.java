package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.CloseReason;
import java.util.EnumSet;
import java.util.Set;

/**
 * Names one client connection (one incarnation) and what the client allows to happen to it. The
 * tag travels in every request path and handshake, so the server side can tell which client owns a
 * slot and judge each close reason against what that client did.
 *
 * @param victim the application may close it from another thread
 * @param thrower it asks handlers to throw, so HANDLER_ERROR is a legitimate end
 */
record ClientTag(int client, int connection, boolean victim, boolean thrower) {

    /** Closes a hostile-but-legal client may always see: capacity policies and its own disconnects. */
    private static final Set<CloseReason> ALWAYS = EnumSet.of(CloseReason.EVICTED, CloseReason.TOO_SLOW,
            CloseReason.WS_CLIENT_TOO_SLOW, CloseReason.EXPECTED_EOF, CloseReason.UNEXPECTED_EOF,
            CloseReason.PEER_RESET, CloseReason.OK);

    /** Closes that explain a response or echo stream cut short by the server. */
    private static final Set<CloseReason> CUTS = EnumSet.of(CloseReason.EVICTED, CloseReason.TOO_SLOW,
            CloseReason.WS_CLIENT_TOO_SLOW);

    String text() {
        return "c" + client + "n" + connection + (victim ? "v" : "") + (thrower ? "t" : "");
    }

    static ClientTag parse(String text) {
        int n = text.indexOf('n');
        if (!text.startsWith("c") || n < 0) {
            return null;
        }
        int end = n + 1;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        try {
            return new ClientTag(Integer.parseInt(text.substring(1, n)), Integer.parseInt(text.substring(n + 1, end)),
                    text.indexOf('v', end) >= 0, text.indexOf('t', end) >= 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean allowsClose(CloseReason reason) {
        return ALWAYS.contains(reason) || (victim && reason == CloseReason.CLOSED_BY_APPLICATION)
                || (thrower && reason == CloseReason.HANDLER_ERROR);
    }

    /** Whether the server may end this connection's stream early (before every answer was read) for {@code reason}. */
    boolean allowsCut(CloseReason reason) {
        return CUTS.contains(reason) || (victim && reason == CloseReason.CLOSED_BY_APPLICATION)
                || (thrower && reason == CloseReason.HANDLER_ERROR);
    }

    @Override
    public String toString() {
        return text();
    }
}
