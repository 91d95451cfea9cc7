package dev.ringhttp.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads what a peer sends only to drop it, for connections on their way out: closing a socket
 * with unread bytes makes the kernel reset the connection, and the reset can destroy the last
 * answer (an error status, a close frame) before the peer reads it. Shared by both kinds of
 * connection; each read goes into the connection's own buffer, which it no longer needs.
 */
final class InputDiscard {

    /** The peer ended its stream, or the socket failed: nothing more will arrive. */
    static final int ENDED = -1;

    private InputDiscard() {
    }

    /**
     * Reads into {@code scratch} and drops it, at most {@code reads} times, so a peer that keeps
     * sending costs a bounded amount of work per call.
     *
     * @return {@link #ENDED}, or 0 once nothing more is waiting (or the read budget is spent)
     */
    static int discard(SocketChannel channel, ByteBuffer scratch, int reads) {
        try {
            for (int i = 0; i < reads; i++) {
                scratch.clear();
                int n = channel.read(scratch);
                if (n < 0) {
                    return ENDED;
                }
                if (n == 0) {
                    return 0;
                }
            }
            return 0;
        } catch (IOException e) {
            return ENDED;
        }
    }
}
