package dev.ringhttp.core;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking loopback WebSocket client on a raw socket: handshake by hand,
 * masked client frames, and a strict reader of server frames that fails on
 * anything RFC 6455 does not allow a server to send.
 */
final class RawWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One server frame. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 when it has none. */
        int closeCode() {
            if (opcode != CLOSE) {
                throw new AssertionError("not a close frame: opcode " + opcode);
            }
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the handshake for {@code path}; {@code receiveBuffer} > 0 sets SO_RCVBUF first. */
    static RawWebSocket connect(int port, String path, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        RawWebSocket ws = new RawWebSocket(socket);
        ws.sendHandshake(path);
        ws.readHandshakeResponse();
        return ws;
    }

    static RawWebSocket connect(int port, String path) throws IOException {
        return connect(port, path, 0);
    }

    /** Wraps an already connected socket; call {@link #sendHandshake} and {@link #readHandshakeResponse} yourself. */
    static RawWebSocket wrap(Socket socket) throws IOException {
        return new RawWebSocket(socket);
    }

    void sendHandshake(String path) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads the response head; fails unless it is a 101 with the right accept value. */
    void readHandshakeResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        if (!text.startsWith("HTTP/1.1 101 ") || !text.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")) {
            throw new IOException("not a valid 101 response: " + text);
        }
    }

    Socket socket() {
        return socket;
    }

    InputStream input() {
        return in;
    }

    void sendText(String text) throws IOException {
        send(0x80 | TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code) throws IOException {
        send(0x80 | CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** Sends one masked frame whose first byte is {@code firstByte}. */
    void send(int firstByte, byte[] payload) throws IOException {
        out.write(maskedFrame(firstByte, payload));
        out.flush();
    }

    static byte[] maskedFrame(int firstByte, byte[] payload) {
        int n = payload.length;
        int headerLength = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[headerLength + 4 + n];
        frame[0] = (byte) firstByte;
        if (n <= 125) {
            frame[1] = (byte) (0x80 | n);
        } else if (n <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(MASK, 0, frame, headerLength, 4);
        for (int i = 0; i < n; i++) {
            frame[headerLength + 4 + i] = (byte) (payload[i] ^ MASK[i & 3]);
        }
        return frame;
    }

    /**
     * Reads one frame strictly: no reserved bits, no mask, a known opcode,
     * control frames unfragmented and at most 125 bytes, minimal length
     * encoding. Returns null on a clean end of stream before the first byte;
     * throws {@link EOFException} when the stream ends inside a frame.
     */
    Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        if ((b0 & 0x70) != 0) {
            throw new IOException("reserved bits set in a server frame: 0x" + Integer.toHexString(b0));
        }
        int opcode = b0 & 0x0F;
        if (opcode != 0 && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING && opcode != PONG) {
            throw new IOException("unknown opcode " + opcode);
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame was masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((long) readByte() << 8) | readByte();
            if (length < 126) {
                throw new IOException("16-bit length " + length + " is not minimal");
            }
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
            if (length <= 0xFFFF) {
                throw new IOException("64-bit length " + length + " is not minimal");
            }
        }
        if (opcode >= CLOSE && (length > 125 || !fin)) {
            throw new IOException("bad control frame: opcode " + opcode + ", length " + length + ", fin " + fin);
        }
        if (length > 64 << 20) {
            throw new IOException("implausible frame length " + length);
        }
        byte[] payload = new byte[(int) length];
        int done = 0;
        while (done < payload.length) {
            int n = in.read(payload, done, payload.length - done);
            if (n < 0) {
                throw new EOFException("stream ended inside a frame payload after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        return new Frame(fin, opcode, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
