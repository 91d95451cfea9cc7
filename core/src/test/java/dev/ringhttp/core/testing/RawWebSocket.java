package dev.ringhttp.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw WebSocket client: a blocking loopback socket, the opening handshake written by hand with
 * the RFC 6455 example key (§1.3), whatever bytes a test builds with {@link WsFrames} written as
 * they are (whole, or in writes of any size), and server frames read strictly with
 * {@link ServerFrameReader#readStrict}: a frame a server must not send fails the read.
 *
 * <p>{@link #connect(int, String)} connects with the defaults; {@link #to(int, String)} sets a
 * small receive buffer, extra handshake headers, a subprotocol or another read timeout first.
 */
public final class RawWebSocket extends RawClient {

    /** The RFC 6455 example key (§1.3) every handshake sends. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** The accept value §1.3 gives for {@link #KEY}. */
    public static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    /** The read timeout unless {@link Connector#timeoutMillis} names another. */
    public static final int TIMEOUT_MILLIS = 10_000;
    private static final int INPUT_BUFFER = 64 * 1024;
    private static final int CLOSE_SEARCH_LIMIT = 100_000;

    private String handshakeResponse;
    private int allowedRsv;

    private RawWebSocket(Socket socket) throws IOException {
        super(socket, new BufferedInputStream(socket.getInputStream(), INPUT_BUFFER));
    }

    /** Options of a connection, set before it connects. */
    public static final class Connector {
        private final int port;
        private final String path;
        private final StringBuilder headers = new StringBuilder();
        private int receiveBuffer;
        private int timeoutMillis = TIMEOUT_MILLIS;

        private Connector(int port, String path) {
            this.port = port;
            this.path = path;
        }

        /** SO_RCVBUF before connecting, so the TCP window stays this small (a slow reader). */
        public Connector receiveBuffer(int bytes) {
            receiveBuffer = bytes;
            return this;
        }

        /** Adds a header line to the handshake request. */
        public Connector header(String name, String value) {
            headers.append(name).append(": ").append(value).append("\r\n");
            return this;
        }

        /** Offers {@code protocols} in Sec-WebSocket-Protocol. */
        public Connector subprotocol(String protocols) {
            return header("Sec-WebSocket-Protocol", protocols);
        }

        public Connector timeoutMillis(int millis) {
            timeoutMillis = millis;
            return this;
        }

        /** Connects and completes the handshake; fails unless the answer is a 101 with the right accept value. */
        public RawWebSocket connect() throws IOException {
            Socket s = RawClient.connect(port, receiveBuffer, timeoutMillis);
            try {
                RawWebSocket ws = new RawWebSocket(s);
                ws.sendHandshake(path, headers.toString());
                ws.readHandshakeResponse();
                return ws;
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }

    public static Connector to(int port, String path) {
        return new Connector(port, path);
    }

    /** Connects to {@code path} with the defaults and completes the handshake. */
    public static RawWebSocket connect(int port, String path) throws IOException {
        return to(port, path).connect();
    }

    /**
     * Wraps a connected socket without a handshake, for a test that must interleave the steps with
     * something else (polling the server itself): call {@link #sendHandshake} and
     * {@link #readHandshakeResponse}.
     */
    public static RawWebSocket wrap(Socket socket) throws IOException {
        return new RawWebSocket(socket);
    }

    /** The opening handshake's request (§4.1) for {@code path}. */
    public static String handshakeRequest(String path, String extraHeaderLines) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaderLines + "\r\n";
    }

    /** {@link #handshakeRequest} without extra headers, as bytes. */
    public static byte[] handshake(String path) {
        return handshakeRequest(path, "").getBytes(StandardCharsets.ISO_8859_1);
    }

    public void sendHandshake(String path) throws IOException {
        sendHandshake(path, "");
    }

    private void sendHandshake(String path, String extraHeaderLines) throws IOException {
        send(handshakeRequest(path, extraHeaderLines).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Whether {@code head} is a 101 that accepts {@link #KEY}. */
    public static boolean isAccept(String head) {
        return head.startsWith("HTTP/1.1 101 ") && head.contains("Sec-WebSocket-Accept: " + ACCEPT + "\r\n");
    }

    /** Reads the response head; fails unless it is a 101 with the right accept value. */
    public void readHandshakeResponse() throws IOException {
        String head = HttpResponseReader.readHead(input());
        if (head == null) {
            throw new EOFException("connection closed before the handshake response");
        }
        if (!isAccept(head)) {
            throw new IOException("not a valid 101 response: " + head);
        }
        handshakeResponse = head;
        boolean deflate = head.toLowerCase(Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate");
        allowedRsv = deflate ? WsFrames.RSV1 : 0;
    }

    /** The 101 response head, blank line included. */
    public String handshakeResponse() {
        return handshakeResponse;
    }

    // ---- sending ----

    /** Writes {@code bytes} at once. */
    public RawWebSocket send(byte[] bytes) throws IOException {
        write(bytes);
        return this;
    }

    /**
     * Writes {@code bytes} in writes of {@code chunk} bytes (TCP_NODELAY is on, so each is a
     * segment). Stops early once the server has answered, as when it failed the connection at a
     * byte before the end: writing on would only provoke a reset.
     */
    public RawWebSocket send(byte[] bytes, int chunk) throws IOException {
        for (int i = 0; i < bytes.length && input().available() == 0; i += chunk) {
            output().write(bytes, i, Math.min(chunk, bytes.length - i));
            output().flush();
        }
        return this;
    }

    /**
     * Writes all of {@code bytes} in writes of {@code chunk} bytes, whatever the server answers
     * meanwhile: for input that draws an answer half-way (a ping between fragments).
     */
    public RawWebSocket sendAll(byte[] bytes, int chunk) throws IOException {
        for (int i = 0; i < bytes.length; i += chunk) {
            output().write(bytes, i, Math.min(chunk, bytes.length - i));
            output().flush();
        }
        return this;
    }

    /** As {@link #send(byte[], int)}, with a pause of {@code millis} after each write. */
    public RawWebSocket sendSlowly(byte[] bytes, int chunk, long millis) throws IOException, InterruptedException {
        for (int i = 0; i < bytes.length && input().available() == 0; i += chunk) {
            output().write(bytes, i, Math.min(chunk, bytes.length - i));
            output().flush();
            Thread.sleep(millis);
        }
        return this;
    }

    public RawWebSocket sendText(String text) throws IOException {
        return send(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, text));
    }

    public RawWebSocket sendClose(int code) throws IOException {
        return send(WsFrames.close(code));
    }

    // ---- reading ----

    /** The next frame, read strictly; an {@link EOFException} at end of stream. */
    public ServerFrame readFrame() throws IOException {
        ServerFrame f = readFrameOrNull();
        if (f == null) {
            throw new EOFException("the server closed the connection where a frame was expected");
        }
        return f;
    }

    /** The next frame, read strictly, or null at a clean end of stream before it. */
    public ServerFrame readFrameOrNull() throws IOException {
        return ServerFrameReader.readStrict(input(), allowedRsv);
    }

    /** Reads frames, skipping data and control frames, up to the server's close frame; returns it. */
    public ServerFrame readClose() throws IOException {
        for (int i = 0; i < CLOSE_SEARCH_LIMIT; i++) {
            ServerFrame f = readFrame();
            if (f.opcode() == WsFrames.CLOSE) {
                return f;
            }
        }
        throw new IOException("no close frame in " + CLOSE_SEARCH_LIMIT + " frames");
    }

    // ---- expecting (AssertJ) ----

    /** The next frame is one whole message of {@code opcode} with exactly {@code payload}. */
    public RawWebSocket expectMessage(int opcode, byte[] payload) throws IOException {
        ServerFrame f = readFrame();
        assertThat(f.opcode()).as("opcode of %s", f).isEqualTo(opcode);
        assertThat(f.fin()).as("FIN of %s", f).isTrue();
        assertThat(f.payload()).as("payload of %s", f).isEqualTo(payload);
        return this;
    }

    public RawWebSocket expectText(byte[] utf8) throws IOException {
        return expectMessage(WsFrames.TEXT, utf8);
    }

    public RawWebSocket expectPong(byte[] payload) throws IOException {
        return expectMessage(WsFrames.PONG, payload);
    }

    /**
     * The next frame is a close frame with exactly {@code code} and no reason, and then the server
     * closes the TCP connection with nothing more sent.
     */
    public void expectClose(int code) throws IOException {
        ServerFrame f = readFrame();
        assertThat(f.opcode()).as("expected a close frame with %d, got %s", code, f).isEqualTo(WsFrames.CLOSE);
        assertThat(f.payload()).as("close payload").hasSize(2);
        assertThat(f.closeCode()).as("close code").isEqualTo(code);
        expectTcpClose();
    }

    /** The server closes the connection: end of stream (or a reset) without another byte. */
    public void expectTcpClose() throws IOException {
        try {
            int b = input().read();
            assertThat(b).as("a byte after the server's close frame").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the TCP connection within "
                    + socket().getSoTimeout() + " ms", e);
        } catch (SocketException reset) {
            // a reset also ends the connection; nothing was received after the close frame
        }
    }

    /** Completes a clean close from this side: close 1000 out, close 1000 back, then the TCP close. */
    public void closeNormally() throws IOException {
        sendClose(1000);
        expectClose(1000);
    }
}
