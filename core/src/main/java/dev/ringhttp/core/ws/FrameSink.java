package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} decodes; the server implements it once per
 * connection. Regions handed to these methods are only valid during the call: the
 * decoder moves bytes afterwards. Payloads are already unmasked, and text already
 * validated as UTF-8.
 */
public interface FrameSink {

    /**
     * A complete message, all fragments joined.
     *
     * @return false to stop decoding (for example because the handler closed the connection)
     */
    boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text);

    /**
     * A ping; its payload (at most 125 bytes) is what the pong must carry.
     *
     * @return false to stop decoding
     */
    boolean onPing(ByteBuffer buffer, int offset, int length);

    /**
     * A pong, solicited or not (RFC 6455 §5.5.3: "A Pong frame MAY be sent unsolicited").
     *
     * @return false to stop decoding
     */
    boolean onPong(ByteBuffer buffer, int offset, int length);

    /**
     * A valid close frame. Decoding stops after it.
     *
     * @param code the status code, or {@link CloseFrames#NO_STATUS_CODE} when the payload was empty
     * @param reasonOffset where the UTF-8 reason starts (already validated)
     * @param reasonLength the reason's length in bytes, 0 when there is none
     */
    void onClose(int code, ByteBuffer buffer, int reasonOffset, int reasonLength);
}
