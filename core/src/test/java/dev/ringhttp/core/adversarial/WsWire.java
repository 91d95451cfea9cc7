package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.ws.WebSocketHandshake;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** RFC 6455 client framing: masked frames out, server frames in, the handshake by hand. */
final class WsWire {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** Server frames we accept: a message can be at most this long (the server's limit plus the ring). */
    private static final int MAX_INCOMING = 1 << 20;

    /** One server frame. */
    record Frame(int first, int opcode, byte[] payload) {
        boolean fin() {
            return (first & 0x80) != 0;
        }

        int rsv() {
            return first & 0x70;
        }
    }

    private WsWire() {
    }

    static byte[] handshake(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the handshake response head; returns null at end of stream before any byte. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("cut inside the handshake response");
            }
            if (head.size() > 4096) {
                throw new IOException("handshake response head too long");
            }
            head.write(b);
            last = last << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static boolean isAccept(String head) {
        return head.startsWith("HTTP/1.1 101 ")
                && head.contains("Sec-WebSocket-Accept: " + WebSocketHandshake.acceptFor(KEY) + "\r\n");
    }

    /** A masked client frame. */
    static byte[] frame(boolean fin, int opcode, byte[] payload, int mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n <= 125) {
            out.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >>> shift));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        out.writeBytes(key);
        for (int i = 0; i < n; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    static byte[] closeFrame(int code, int mask) {
        return frame(true, CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}, mask);
    }

    /** The next server frame; throws EOFException at end of stream. */
    static Frame read(InputStream in) throws IOException {
        int b0 = readByte(in);
        int b1 = readByte(in);
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) readByte(in) << 8 | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte(in);
            }
        }
        if (length > MAX_INCOMING) {
            throw new IOException("server frame announces " + length + " bytes");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("frame cut at " + payload.length + " of " + length);
        }
        return new Frame(b0, b0 & 0x0F, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream");
        }
        return b;
    }
}
