package dev.ringhttp.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP client: a blocking loopback socket (TCP_NODELAY, a 10 s read timeout) that writes
 * whatever bytes a test gives it and reads responses with {@link HttpResponseReader}, unbuffered, so
 * that {@link #input()} and the socket see exactly what is left.
 */
public final class RawConnection extends RawClient {

    /** The read timeout of a new connection. */
    public static final int TIMEOUT_MILLIS = 10_000;

    public RawConnection(int port) throws IOException {
        this(connect(port, 0, TIMEOUT_MILLIS));
    }

    private RawConnection(Socket socket) throws IOException {
        super(socket, socket.getInputStream());
    }

    /**
     * A connection whose receive buffer is set to {@code receiveBuffer} bytes before connecting, so
     * that the TCP window stays that small: a slow reader.
     */
    public static RawConnection withReceiveBuffer(int port, int receiveBuffer) throws IOException {
        return new RawConnection(connect(port, receiveBuffer, TIMEOUT_MILLIS));
    }

    /**
     * Sends {@code request} on a fresh connection and returns all the server writes until it
     * closes the connection, as ISO-8859-1 text; fails after {@code timeoutMillis} of silence.
     */
    public static String requestUntilClose(int port, String request, int timeoutMillis) throws IOException {
        try (Socket s = connect(port, 0, timeoutMillis)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** {@link #requestUntilClose(int, String, int)} with a 5 s timeout. */
    public static String requestUntilClose(int port, String request) throws IOException {
        return requestUntilClose(port, request, 5_000);
    }

    /** Writes {@code ascii} as ISO-8859-1 bytes. */
    public RawConnection send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        write(bytes);
        return this;
    }

    /**
     * Reads one response; {@code headRequest} means no body follows whatever Content-Length says.
     * Fails when the connection ends before the response.
     */
    public RawResponse readResponse(boolean headRequest) throws IOException {
        RawResponse r = HttpResponseReader.read(input(), headRequest);
        if (r == null) {
            throw new IOException("connection closed before a response");
        }
        return r;
    }

    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads until end of stream; a reset after the data ends it as well. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = input().read(chunk)) >= 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the data still ends the stream for this purpose.
        }
        return all.toByteArray();
    }
}
