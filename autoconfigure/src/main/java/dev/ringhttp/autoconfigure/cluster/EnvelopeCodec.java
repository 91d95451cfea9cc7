package dev.ringhttp.autoconfigure.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Writes this instance's messages as envelopes and reads any instance's back, strictly. Version 1,
 * all numbers big-endian:
 *
 * <pre>
 * offset      size  field
 * 0           1     version: 1
 * 1           1     kind: 1 text, 2 binary, 3 heartbeat ({@link MessageKind})
 * 2           8     incarnation: a random number the sender drew at start-up
 * 10          1     n: length of the instance id, 1..64
 * 11          n     instance id: ASCII letters, digits, '.', '_', ':', '-'
 * 11+n        2     m: length of the channel name; 0 means every channel
 * 13+n        m     channel name, UTF-8
 * 13+n+m      rest  payload: at most the WebSocket message limit; UTF-8 for text; for a heartbeat,
 *                   exactly 8 bytes: its number
 * </pre>
 *
 * The payload's length is what remains: Redis delivers each message whole, with its length. Decoding
 * accepts exactly this layout and nothing else: another version, an unknown kind, an id or channel
 * running past the end, invalid UTF-8 in a channel name or a text payload, or a heartbeat with a
 * channel or with other than 8 bytes of payload is {@link DropReason#MALFORMED}; a payload over the limit is
 * {@link DropReason#OVERSIZE}. Either way the message is dropped and counted, never delivered, and
 * the decoder reads no byte outside the array it is given.
 */
public final class EnvelopeCodec {

    /** The version this codec writes and the only one it reads. */
    public static final int VERSION = 1;

    /** Longest instance id, in bytes (its length field is one byte). */
    public static final int MAX_INSTANCE_ID_LENGTH = 64;

    /** Longest channel name, in bytes of UTF-8: what its two-byte length field holds. */
    public static final int MAX_CHANNEL_LENGTH = 0xFFFF;

    /** Version, kind, incarnation, the instance id's length and the channel's length. */
    static final int FIXED_HEADER_LENGTH = 1 + 1 + 8 + 1 + 2;

    private final byte[] instanceId;
    private final String instanceIdText;
    private final long incarnation;
    private final int maxPayloadLength;

    /**
     * @param instanceId       this instance's id, written into every envelope it encodes
     * @param incarnation      this instance's random number, drawn at start-up
     * @param maxPayloadLength the WebSocket message limit: larger payloads are neither written nor read
     * @throws IllegalArgumentException if the instance id is not 1 to 64 of the characters above
     */
    public EnvelopeCodec(String instanceId, long incarnation, int maxPayloadLength) {
        if (!isValidInstanceId(instanceId)) {
            throw new IllegalArgumentException("invalid instance id '" + instanceId + "'");
        }
        if (maxPayloadLength < 0) {
            throw new IllegalArgumentException("negative payload limit " + maxPayloadLength);
        }
        this.instanceIdText = instanceId;
        this.instanceId = instanceId.getBytes(StandardCharsets.US_ASCII);
        this.incarnation = incarnation;
        this.maxPayloadLength = maxPayloadLength;
    }

    /** Whether {@code id} can identify an instance: 1 to 64 ASCII letters, digits, '.', '_', ':' or '-'. */
    public static boolean isValidInstanceId(String id) {
        if (id.isEmpty() || id.length() > MAX_INSTANCE_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isInstanceIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInstanceIdChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }

    public String instanceId() {
        return instanceIdText;
    }

    public long incarnation() {
        return incarnation;
    }

    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /** Whether {@code envelope} was written by this very codec's instance (same id and incarnation). */
    public boolean isOwn(Envelope envelope) {
        return envelope.incarnation() == incarnation && envelope.instanceId().equals(instanceIdText);
    }

    /** Length of a heartbeat's payload: its number. */
    public static final int HEARTBEAT_PAYLOAD_LENGTH = Long.BYTES;

    /** This instance's heartbeat number {@code number}: no channel, the number as the payload. */
    public byte[] heartbeat(long number) {
        return write(MessageKind.HEARTBEAT, new byte[0], ByteBuffer.allocate(Long.BYTES).putLong(number).array());
    }

    /**
     * A broadcast from this instance.
     *
     * @param channel the channel name, or null for every channel; never empty
     * @throws EnvelopeException ({@link DropReason#OVERSIZE}) if the payload is over the limit or the
     *                           channel name longer than {@value #MAX_CHANNEL_LENGTH} bytes
     */
    public byte[] encode(@Nullable String channel, byte[] payload, boolean text) throws EnvelopeException {
        if (payload.length > maxPayloadLength) {
            throw new EnvelopeException(DropReason.OVERSIZE,
                    "payload of " + payload.length + " bytes, over the limit of " + maxPayloadLength);
        }
        byte[] name = channel == null ? new byte[0] : channel.getBytes(StandardCharsets.UTF_8);
        if (channel != null && name.length == 0) {
            throw new IllegalArgumentException("an empty channel name reads as every channel");
        }
        if (name.length > MAX_CHANNEL_LENGTH) {
            throw new EnvelopeException(DropReason.OVERSIZE, "channel name of " + name.length + " bytes");
        }
        return write(text ? MessageKind.TEXT : MessageKind.BINARY, name, payload);
    }

    private byte[] write(MessageKind kind, byte[] channel, byte[] payload) {
        // No overflow: the id is at most 64 bytes, the channel at most 65,535 and the payload at most
        // the message limit, itself an int of bytes that the server's buffers hold.
        int length = Math.addExact(FIXED_HEADER_LENGTH + instanceId.length + channel.length, payload.length);
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put((byte) VERSION).put((byte) kind.code()).putLong(incarnation)
                .put((byte) instanceId.length).put(instanceId)
                .putShort((short) channel.length).put(channel)
                .put(payload);
        return out.array();
    }

    /**
     * Reads an envelope from any instance. The payload is a view of {@code bytes}, which must not
     * change while it is in use.
     *
     * @throws EnvelopeException if it is malformed or its payload over the limit
     */
    public Envelope decode(byte[] bytes) throws EnvelopeException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < FIXED_HEADER_LENGTH + 1) {
            throw malformed(bytes.length + " bytes, shorter than any envelope");
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw malformed("version " + version + "; this instance reads version " + VERSION);
        }
        int kindCode = in.get() & 0xFF;
        MessageKind kind = MessageKind.ofCode(kindCode);
        if (kind == null) {
            throw malformed("unknown kind " + kindCode);
        }
        long senderIncarnation = in.getLong();
        int idLength = in.get() & 0xFF;
        if (idLength == 0 || idLength > MAX_INSTANCE_ID_LENGTH) {
            throw malformed("instance id length " + idLength);
        }
        if (in.remaining() < idLength + 2) {
            throw malformed("instance id runs past the end");
        }
        for (int i = 0; i < idLength; i++) {
            if (!isInstanceIdChar(in.get(in.position() + i) & 0xFF)) {
                throw malformed("instance id has a byte outside its character set");
            }
        }
        String id = new String(bytes, in.position(), idLength, StandardCharsets.US_ASCII);
        in.position(in.position() + idLength);
        int channelLength = in.getShort() & 0xFFFF;
        if (in.remaining() < channelLength) {
            throw malformed("channel name runs past the end");
        }
        String channel = null;
        if (channelLength > 0) {
            ByteBuffer name = in.slice().limit(channelLength);
            if (!Utf8.isWellFormed(name)) {
                throw malformed("channel name is not UTF-8");
            }
            channel = new String(bytes, in.position(), channelLength, StandardCharsets.UTF_8);
            in.position(in.position() + channelLength);
        }
        int payloadLength = in.remaining();
        if (kind == MessageKind.HEARTBEAT && (channel != null || payloadLength != HEARTBEAT_PAYLOAD_LENGTH)) {
            throw malformed("a heartbeat with a channel, or with other than its number as payload");
        }
        if (payloadLength > maxPayloadLength) {
            throw new EnvelopeException(DropReason.OVERSIZE,
                    "payload of " + payloadLength + " bytes, over the limit of " + maxPayloadLength);
        }
        ByteBuffer payload = in.slice().asReadOnlyBuffer();
        if (kind == MessageKind.TEXT && !Utf8.isWellFormed(payload)) {
            throw malformed("text payload is not UTF-8");
        }
        return new Envelope(kind, id, senderIncarnation, channel, payload);
    }

    private static EnvelopeException malformed(String why) {
        return new EnvelopeException(DropReason.MALFORMED, why);
    }
}
