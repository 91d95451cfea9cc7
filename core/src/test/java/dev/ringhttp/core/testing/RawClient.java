package dev.ringhttp.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * What the raw clients ({@link RawConnection}, {@link RawWebSocket}) share: one blocking loopback
 * socket, its streams, and the two ways it ends: the server's close as the client sees it, and the
 * client's own close or reset.
 */
public abstract class RawClient implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /**
     * A connected loopback socket: {@code receiveBuffer} > 0 sets SO_RCVBUF before connecting, so
     * that the TCP window stays that small (a slow reader); TCP_NODELAY on; {@code timeoutMillis}
     * the read timeout. Every client of the fixture connects through here.
     */
    public static Socket connect(int port, int receiveBuffer, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public Socket socket() {
        return socket;
    }

    /** The stream this client reads from. */
    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    /** Writes {@code bytes} at once. */
    final void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Whether the server closed the connection: a read sees end of stream or a reset within the timeout. */
    public boolean isClosedByPeer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Closes with a reset (SO_LINGER 0) instead of a FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
