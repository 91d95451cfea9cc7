package dev.ringhttp.core;

import dev.ringhttp.core.http.HeadWriter;
import dev.ringhttp.core.http.HttpDate;
import dev.ringhttp.core.http.HttpStatus;
import dev.ringhttp.core.ws.MessageInflater;
import dev.ringhttp.core.ws.WebSocketHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Working state the loop lends to one connection at a time and that no connection keeps: the
 * response-head writer, the cached {@code Date} header, the handshake digest, the gathered-write
 * scratch and the bodies of error responses. One per loop, so none of it is ever shared between
 * threads, and none of it is allocated per request.
 */
final class LoopScratch {

    private final HeadWriter headWriter = new HeadWriter();
    private final HttpDate date = new HttpDate();
    private final WebSocketHandshake handshake = new WebSocketHandshake();
    private final WriteScratch writes;
    /** Inflates compressed WebSocket messages for every connection; null without permessage-deflate. */
    private final MessageInflater inflater;
    /** Statuses are below this; the error-body tables are indexed by status. */
    private static final int STATUS_LIMIT = 600;
    /** References in the two error-body tables, for the footprint. */
    static final int ERROR_BODY_REFERENCES = 2 * STATUS_LIMIT;

    private final byte[][] errorBodies = new byte[STATUS_LIMIT][];
    private final ByteBuffer[] errorBodyBuffers = new ByteBuffer[STATUS_LIMIT];

    LoopScratch(ServerConfig config, ByteBuffer ringBuffer, BufferArena arena) {
        this.writes = new WriteScratch(ringBuffer, arena);
        this.inflater = config.webSocketDeflate() ? new MessageInflater(config.maxWsMessageLength(),
                arena.take(MessageInflater.bufferBytes(config.maxWsMessageLength()))) : null;
        for (int status : errorStatuses()) {
            byte[] text = errorText(status);
            errorBodies[status] = text;
            ByteBuffer buffer = arena.take(text.length);
            buffer.put(text).flip();
            errorBodyBuffers[status] = buffer;
        }
    }

    /** The statuses the server answers on its own: those of the close reasons, and 500. */
    private static int[] errorStatuses() {
        return java.util.stream.IntStream.concat(
                        java.util.Arrays.stream(CloseReason.values()).mapToInt(CloseReason::httpStatus),
                        java.util.stream.IntStream.of(500))
                .filter(status -> status != 0).distinct().toArray();
    }

    private static byte[] errorText(int status) {
        return (HttpStatus.reasonPhrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes of all error bodies: held once as arrays on the heap and once in direct buffers. */
    static int errorBodyBytes() {
        int total = 0;
        for (int status : errorStatuses()) {
            total += errorText(status).length;
        }
        return total;
    }

    /** The head writer, reset onto {@code buffer}. */
    HeadWriter headWriter(ByteBuffer buffer) {
        return headWriter.reset(buffer);
    }

    /** The {@code Date} header's value, refreshed when the second has changed. */
    HttpDate date() {
        date.refresh(System.currentTimeMillis());
        return date;
    }

    WebSocketHandshake handshake() {
        return handshake;
    }

    /** The loop's inflater, or null when permessage-deflate is off. */
    MessageInflater inflater() {
        return inflater;
    }

    /** Frees native memory (the inflater's); {@link #reopen} takes it again for a restarted server. */
    void close() {
        if (inflater != null) {
            inflater.close();
        }
    }

    void reopen() {
        if (inflater != null) {
            inflater.reopen();
        }
    }

    WriteScratch writes() {
        return writes;
    }

    /** The plain-text body of error status {@code status} (one of the close reasons' statuses, or 500). */
    byte[] errorBody(int status) {
        return errorBodies[status];
    }

    /** {@link #errorBody} as a shared direct buffer: write it from its position 0, never move it. */
    ByteBuffer errorBodyBuffer(int status) {
        return errorBodyBuffers[status];
    }
}
