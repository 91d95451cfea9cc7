package dev.ringhttp.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One WebSocket frame as a server sent it: its first byte (FIN, RSV bits, opcode) and its payload.
 * {@link ServerFrameReader} reads them.
 */
public record ServerFrame(int firstByte, byte[] payload) {

    /** The close code a close frame without a status code stands for (§7.1.5). */
    public static final int NO_STATUS = 1005;

    public boolean fin() {
        return (firstByte & WsFrames.FIN) != 0;
    }

    /** The reserved bits as they stand in the first byte (0x70 all set). */
    public int rsv() {
        return firstByte & (WsFrames.RSV1 | WsFrames.RSV2 | WsFrames.RSV3);
    }

    public int opcode() {
        return firstByte & 0x0F;
    }

    /** Whether RSV1 marks the payload as a permessage-deflate message. */
    public boolean compressed() {
        return (firstByte & WsFrames.RSV1) != 0;
    }

    /** The message's bytes: the payload, inflated ({@link Deflate#inflate}) when {@link #compressed}. */
    public byte[] message() {
        return compressed() ? Deflate.inflate(payload) : payload;
    }

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, {@link #NO_STATUS} when it has none. */
    public int closeCode() {
        if (opcode() != WsFrames.CLOSE) {
            throw new AssertionError("not a close frame: " + this);
        }
        return payload.length < 2 ? NO_STATUS : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
    }

    @Override
    public String toString() {
        String start = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32));
        return "ServerFrame[fin=" + fin() + ", rsv=0x" + Integer.toHexString(rsv()) + ", opcode=" + opcode() + ", "
                + payload.length + " bytes: " + start + (payload.length > 32 ? "...]" : "]");
    }
}
