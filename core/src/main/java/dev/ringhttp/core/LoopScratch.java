package dev.ringhttp.core;

import dev.ringhttp.core.http.HeadWriter;
import dev.ringhttp.core.http.HttpDate;
import dev.ringhttp.core.http.HttpStatus;
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
    private final byte[][] errorBodies = new byte[600][];
    private final ByteBuffer[] errorBodyBuffers = new ByteBuffer[600];

    LoopScratch(ByteBuffer ringBuffer) {
        this.writes = new WriteScratch(ringBuffer);
        for (CloseReason reason : CloseReason.values()) {
            prepareErrorBody(reason.httpStatus());
        }
        prepareErrorBody(500);
    }

    private void prepareErrorBody(int status) {
        if (status != 0 && errorBodies[status] == null) {
            byte[] text = (HttpStatus.reasonPhrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
            errorBodies[status] = text;
            ByteBuffer buffer = ByteBuffer.allocateDirect(text.length);
            buffer.put(text).flip();
            errorBodyBuffers[status] = buffer;
        }
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
