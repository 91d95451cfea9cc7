package dev.ringhttp.core;

import static dev.ringhttp.core.CloseDisposition.DRAIN;
import static dev.ringhttp.core.CloseDisposition.GRACEFUL;
import static dev.ringhttp.core.CloseDisposition.RESET;

/**
 * Why a connection was closed. Every close reports exactly one reason, to the
 * handler's {@code onClose} callback and to {@link LoopCounters}; no reason
 * stands for two causes.
 *
 * <p>For reasons caused by bad client input, {@link #httpStatus()} is the
 * status written before an HTTP connection closes, and {@link #wsCloseCode()}
 * the status code of the close frame sent before a WebSocket closes. A value
 * of 0 means nothing is sent: the peer is gone or is too slow to read it.
 * Each reason also says how the socket ends ({@link CloseDisposition}): a
 * reason with last words to send drains, a client that stopped reading is
 * reset, the rest close at once.
 */
public enum CloseReason {
    OK(0, 1000, DRAIN, Evicts.NO,
            "closed normally: Connection: close was honoured or the WebSocket close handshake completed"),
    EVICTED(0, 0, GRACEFUL, Evicts.YES,
            "evicted to make room for a new connection while the pool was full"),
    TOO_SLOW(0, 0, RESET, Evicts.YES,
            "HTTP client too slow: the ring overwrote response bytes it had not read yet"),
    EXPECTED_EOF(0, 0, GRACEFUL, Evicts.NO,
            "the peer closed the connection between requests"),
    UNEXPECTED_EOF(0, 0, GRACEFUL, Evicts.NO,
            "the peer closed the connection in the middle of a request, or a WebSocket without a close frame"),
    PEER_RESET(0, 0, GRACEFUL, Evicts.NO,
            "the network reported the peer gone (connection reset or broken pipe)"),
    LARGE_REQUEST(413, 0, DRAIN, Evicts.NO,
            "the request would exceed the maximum request length, or its body the maximum body length"),
    BODY_BUFFERS_BUSY(503, 0, DRAIN, Evicts.NO,
            "the request's body was too large for its connection's buffer and every large-body buffer was lent"),
    BAD_REQUEST(400, 0, DRAIN, Evicts.NO,
            "the request was malformed"),
    HEADERS_TOO_LARGE(431, 0, DRAIN, Evicts.NO,
            "the header block exceeded the maximum request length or header count"),
    MISSING_CONTENT_LENGTH_HEADER(411, 0, DRAIN, Evicts.NO,
            "a request that needs a body had no Content-Length header"),
    UNKNOWN_METHOD(501, 0, DRAIN, Evicts.NO,
            "the request method is not supported"),
    PATH_TOO_LONG(414, 0, DRAIN, Evicts.NO,
            "the request line exceeded the maximum request line length"),
    UNSUPPORTED_HTTP_VERSION(505, 0, DRAIN, Evicts.NO,
            "the request used an HTTP version other than 1.x (1.2 and above are served as 1.1)"),
    UNSUPPORTED_TRANSFER_ENCODING(501, 0, DRAIN, Evicts.NO,
            "the request used a transfer coding other than chunked alone"),
    EXPECTATION_FAILED(417, 0, DRAIN, Evicts.NO,
            "the request's Expect header asked for something other than 100-continue"),
    WS_BAD_KEY(400, 0, DRAIN, Evicts.NO,
            "the upgrade request's Sec-WebSocket-Key was not 16 bytes in base64"),
    WS_UNEXPECTED_VERSION(426, 0, DRAIN, Evicts.NO,
            "the upgrade request asked for a WebSocket version other than 13"),
    WS_MISSING_KEY_HEADER(400, 0, DRAIN, Evicts.NO,
            "the upgrade request had no Sec-WebSocket-Key header"),
    WS_MISSING_VERSION_HEADER(400, 0, DRAIN, Evicts.NO,
            "the upgrade request had no Sec-WebSocket-Version header"),
    WS_MISSING_UPGRADE(400, 0, DRAIN, Evicts.NO,
            "the handler asked to upgrade a request that is not a WebSocket upgrade"),
    WS_EARLY_DATA(0, 0, GRACEFUL, Evicts.NO,
            "the client sent data before it had received the 101 response"),
    WS_BAD_MASK(0, 1002, DRAIN, Evicts.NO,
            "a client frame was not masked"),
    WS_RESERVED_BITS(0, 1002, DRAIN, Evicts.NO,
            "a frame set reserved bits that no extension defines"),
    WS_UNKNOWN_OPCODE(0, 1002, DRAIN, Evicts.NO,
            "a frame used a reserved opcode"),
    WS_OVERSIZE_FRAME(0, 1009, DRAIN, Evicts.NO,
            "a message exceeded the maximum WebSocket message length"),
    WS_CLIENT_TOO_SLOW(0, 0, RESET, Evicts.YES,
            "WebSocket client too slow: its frame queue was full or the ring overwrote its data"),
    WS_EXPECTED_CONT_OPCODE(0, 1002, DRAIN, Evicts.NO,
            "a new data frame arrived inside a fragmented message"),
    WS_EXPECTED_TEXT_OPCODE(0, 1002, DRAIN, Evicts.NO,
            "a continuation frame arrived with no fragmented message to continue"),
    WS_CONTROL_FRAME_TOO_LARGE(0, 1002, DRAIN, Evicts.NO,
            "a control frame carried more than 125 bytes"),
    WS_FRAGMENTED_CONTROL_FRAME(0, 1002, DRAIN, Evicts.NO,
            "a control frame was fragmented"),
    WS_INVALID_UTF8(0, 1007, DRAIN, Evicts.NO,
            "a text message or close reason was not valid UTF-8"),
    WS_BAD_COMPRESSED_DATA(0, 1007, DRAIN, Evicts.NO,
            "a permessage-deflate message did not inflate"),
    WS_BAD_CLOSE_FRAME(0, 1002, DRAIN, Evicts.NO,
            "a close frame had a one-byte payload or an invalid status code"),
    REQUEST_TIMEOUT(408, 0, DRAIN, Evicts.NO,
            "the request did not arrive completely within the request read timeout (slowloris)"),
    IDLE_TIMEOUT(0, 0, GRACEFUL, Evicts.NO,
            "the HTTP connection sat idle, or its reader stalled, for longer than the idle timeout"),
    WS_IDLE_TIMEOUT(0, 0, GRACEFUL, Evicts.NO,
            "the WebSocket sent nothing, not even a pong to the server's ping, within the idle timeout"),
    CLOSED_BY_APPLICATION(0, 1000, DRAIN, Evicts.NO,
            "the application closed the connection"),
    HANDLER_ERROR(0, 1011, DRAIN, Evicts.NO,
            "a handler threw: a WebSocket handler anything, an HTTP handler an Error (after its 500)"),
    SERVER_SHUTDOWN(0, 1001, DRAIN, Evicts.NO,
            "the server shut down"),
    INTERNAL_ERROR(0, 1011, DRAIN, Evicts.NO,
            "an unexpected error in the server; it was logged");

    /** The eviction column's values, named for the table above. */
    private static final class Evicts {
        static final boolean YES = true;
        static final boolean NO = false;
    }

    private static final CloseReason[] VALUES = values();

    private final int httpStatus;
    private final int wsCloseCode;
    private final CloseDisposition disposition;
    private final boolean eviction;
    private final String description;

    CloseReason(int httpStatus, int wsCloseCode, CloseDisposition disposition, boolean eviction, String description) {
        this.httpStatus = httpStatus;
        this.wsCloseCode = wsCloseCode;
        this.disposition = disposition;
        this.eviction = eviction;
        this.description = description;
    }

    /** The HTTP status sent before closing because of this reason, or 0 if none is sent. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The RFC 6455 status code of the close frame sent for this reason, or 0 if none is sent. */
    public int wsCloseCode() {
        return wsCloseCode;
    }

    /**
     * Whether the socket is reset (RST) rather than closed with a FIN: true for the reasons that mean the client
     * stopped reading. What the kernel still holds for such a client is bytes it did not read, and a graceful close
     * would keep them, up to a whole socket send buffer (megabytes) per evicted client, in an orphaned socket for
     * minutes; that is memory the server's fixed budget does not see. The reset frees it at once and tells the
     * client on its next read that it was dropped.
     */
    public boolean resetsConnection() {
        return disposition == CloseDisposition.RESET;
    }

    /** How the socket ends once the slot is released: the one place this policy lives. */
    CloseDisposition disposition() {
        return disposition;
    }

    /**
     * Whether the server dropped the client to protect the others: to free a slot for a new
     * connection, or because the ring needed the bytes it had not read. Counted as an eviction.
     */
    public boolean isEviction() {
        return eviction;
    }

    /** One line saying what happened. */
    public String description() {
        return description;
    }

    /** All reasons in declaration order, without the copy {@link #values()} makes. */
    static CloseReason byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    static int count() {
        return VALUES.length;
    }
}
