package dev.ringhttp.core.ws.it;

import dev.ringhttp.core.ws.WebSocketHandshake;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A WebSocket client on a plain blocking socket: handshake by hand, raw frames out, server frames parsed in. */
final class RawWs implements AutoCloseable {

    /** One server frame. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, 1005 when it has none. */
        int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }
    }

    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final String handshakeResponse;

    private RawWs(Socket socket, String path, String extraHeaders) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        handshakeResponse = readHead();
        if (!handshakeResponse.startsWith("HTTP/1.1 101 ")
                || !handshakeResponse.contains("Sec-WebSocket-Accept: " + WebSocketHandshake.acceptFor(KEY) + "\r\n")) {
            throw new IOException("bad handshake response: " + handshakeResponse);
        }
    }

    static RawWs connect(int port, String path) throws IOException {
        return connect(port, path, 0);
    }

    /** {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting, so the window stays small. */
    static RawWs connect(int port, String path, int receiveBuffer) throws IOException {
        return connect(port, path, receiveBuffer, "");
    }

    /** {@code extraHeaders}: whole header lines, each ending in CRLF, added to the handshake request. */
    static RawWs connect(int port, String path, int receiveBuffer, String extraHeaders) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return new RawWs(s, path, extraHeaders);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    Socket socket() {
        return socket;
    }

    RawWs send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            last = last << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frame is masked");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) readByte() << 8 | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("frame cut short");
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream");
        }
        return b;
    }

    /** Reads frames, skipping data frames, up to the server's close frame; returns it. */
    Frame readClose() throws IOException {
        for (int i = 0; i < 100_000; i++) {
            Frame f = readFrame();
            if (f.opcode() == WsFrames.CLOSE) {
                return f;
            }
        }
        throw new IOException("no close frame");
    }

    /** Whether the server closed the TCP connection: end of stream or a reset within the timeout. */
    boolean seesEof() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
