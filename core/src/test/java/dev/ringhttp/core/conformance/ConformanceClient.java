package dev.ringhttp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a raw blocking socket for the conformance suite: it writes exactly the
 * bytes a case builds (masked or not, any header bits, any length encoding, split into writes of
 * any size) and reads server frames strictly, failing on anything RFC 6455 forbids a server to
 * send (a mask, reserved bits, an unknown opcode, a fragmented or oversized control frame).
 */
final class ConformanceClient implements AutoCloseable {

    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int RSV2 = 0x20;
    static final int RSV3 = 0x10;
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One frame from the server. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        @Override
        public String toString() {
            return "Frame[fin=" + fin + ", opcode=" + opcode + ", " + payload.length + " bytes: "
                    + HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 32)) + "]";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private ConformanceClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the opening handshake with the RFC 6455 example key. */
    static ConformanceClient connect(int port, String path) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        ConformanceClient c = new ConformanceClient(socket);
        c.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = c.in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.write(b);
        }
        String response = head.toString(StandardCharsets.US_ASCII);
        assertThat(response).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        return c;
    }

    // ---- building frames ----

    /** A masked frame with a random key and the minimal length encoding. */
    static byte[] frame(int firstByte, byte[] payload) {
        return frame(firstByte, payload, payload.length, true);
    }

    /** A frame announcing {@code announced} bytes; {@code payload} may be shorter (a partial frame). */
    static byte[] frame(int firstByte, byte[] payload, long announced, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (announced >= 0 && announced <= 125) {
            f.write(maskBit | (int) announced);
        } else if (announced >= 0 && announced <= 0xFFFF) {
            f.write(maskBit | 126);
            f.write((int) (announced >>> 8));
            f.write((int) announced);
        } else {
            f.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) (announced >>> shift));
            }
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) {
            f.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return f.toByteArray();
    }

    static byte[] closePayload(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    // ---- sending ----

    /** Writes {@code bytes} at once. */
    ConformanceClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes {@code bytes} in writes of {@code chunk} bytes (TCP_NODELAY is on, so each is a
     * segment). Stops early once the server has answered, as when it failed the connection at a
     * byte before the end: writing on would only provoke a reset.
     */
    ConformanceClient send(byte[] bytes, int chunk) throws IOException {
        for (int i = 0; i < bytes.length && in.available() == 0; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
            out.flush();
        }
        return this;
    }

    /**
     * Writes all of {@code bytes} in writes of {@code chunk} bytes, whatever the server answers
     * meanwhile: for input that draws an answer half-way (a ping between fragments), where
     * {@link #send(byte[], int)} would stop at the pong and never send the rest.
     */
    ConformanceClient sendAll(byte[] bytes, int chunk) throws IOException {
        for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
            out.flush();
        }
        return this;
    }

    /** As {@link #send(byte[], int)}, with a pause of {@code millis} after each write. */
    ConformanceClient sendSlowly(byte[] bytes, int chunk, long millis) throws IOException, InterruptedException {
        for (int i = 0; i < bytes.length && in.available() == 0; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
            out.flush();
            Thread.sleep(millis);
        }
        return this;
    }

    // ---- expecting ----

    /** The next frame, read strictly; fails on end of stream. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("the server closed the connection where a frame was expected");
        }
        int b1 = readByte();
        assertThat(b0 & (RSV1 | RSV2 | RSV3)).as("server frame's reserved bits").isZero();
        int opcode = b0 & 0x0F;
        assertThat(opcode).as("server frame opcode").isIn(CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG);
        assertThat(b1 & 0x80).as("a server frame must not be masked (§5.1)").isZero();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (long) readByte() << 8 | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte();
            }
        }
        boolean fin = (b0 & FIN) != 0;
        if (opcode >= CLOSE) {
            assertThat(fin).as("control frames are not fragmented").isTrue();
            assertThat(length).as("control frame payload").isLessThanOrEqualTo(125);
        }
        assertThat(length).isLessThan(1 << 24);
        byte[] payload = new byte[(int) length];
        int done = 0;
        while (done < payload.length) {
            int n = in.read(payload, done, payload.length - done);
            if (n < 0) {
                throw new EOFException("stream ended inside a frame");
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

    /** The next frame is one whole message of {@code opcode} with exactly {@code payload}. */
    ConformanceClient expectMessage(int opcode, byte[] payload) throws IOException {
        Frame f = read();
        assertThat(f.opcode()).as("opcode of %s", f).isEqualTo(opcode);
        assertThat(f.fin()).isTrue();
        assertThat(f.payload()).as("echoed payload").isEqualTo(payload);
        return this;
    }

    ConformanceClient expectText(byte[] utf8) throws IOException {
        return expectMessage(TEXT, utf8);
    }

    ConformanceClient expectPong(byte[] payload) throws IOException {
        return expectMessage(PONG, payload);
    }

    /**
     * The next frame is a close frame with exactly {@code code} and no reason, and then the server
     * closes the TCP connection with nothing more sent.
     */
    void expectClose(int code) throws IOException {
        Frame f = read();
        assertThat(f.opcode()).as("expected a close frame with %d, got %s", code, f).isEqualTo(CLOSE);
        assertThat(f.payload()).as("close payload").hasSize(2);
        int got = (f.payload()[0] & 0xFF) << 8 | f.payload()[1] & 0xFF;
        assertThat(got).as("close code").isEqualTo(code);
        expectTcpClose();
    }

    /** The server closes the connection: end of stream (or a reset) without another byte. */
    void expectTcpClose() throws IOException {
        try {
            int b = in.read();
            assertThat(b).as("a byte after the server's close frame").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the TCP connection within 5 s", e);
        } catch (SocketException reset) {
            // a reset also ends the connection; nothing was received after the close frame
        }
    }

    /** Completes a clean close from our side: close 1000 out, close 1000 back, then TCP close. */
    void closeNormally() throws IOException {
        send(frame(FIN | CLOSE, closePayload(1000, new byte[0])));
        expectClose(1000);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
