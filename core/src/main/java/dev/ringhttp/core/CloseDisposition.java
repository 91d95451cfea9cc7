package dev.ringhttp.core;

/**
 * How a connection's socket ends once its slot is released; each {@link CloseReason} names one.
 * The close path applies it and nothing else decides it.
 */
enum CloseDisposition {
    /** Close at once with a FIN: the peer is gone, or the server has nothing more to say. */
    GRACEFUL,
    /**
     * The server's last words (an error status, a close frame) are out: read, bounded, what the
     * peer still sends, then close (the FIN), because closing with unread bytes makes the kernel
     * reset the connection and the peer could lose those words.
     */
    DRAIN,
    /**
     * The client stopped reading: close with a zero linger time, which discards what the kernel
     * still holds for it and sends RST, so an orphaned socket never keeps a send buffer's worth
     * of memory that the server's budget does not see.
     */
    RESET
}
