package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.RawClient;
import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every client socket of a run: counts the connections made (each one the server must open and close
 * exactly once) and can close them all, so a client blocked in a write or read cannot outlive its run.
 */
final class ClientSockets {

    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicLong connects = new AtomicLong();

    /** Connecting over loopback failed: never the server's right to refuse while it runs. */
    static final class ConnectFailed extends IOException {
        ConnectFailed(IOException cause) {
            super(cause);
        }
    }

    ClientSockets(int port) {
        this.port = port;
    }

    /** A loopback connection; {@code receiveBuffer} > 0 keeps the receive window small (a slow reader). */
    Socket connect(int receiveBuffer) throws IOException {
        Socket s;
        try {
            s = RawClient.connect(port, receiveBuffer, 30_000);
        } catch (IOException e) {
            throw new ConnectFailed(e);
        }
        connects.incrementAndGet();
        open.add(s);
        return s;
    }

    /** Closes {@code s}; {@code reset} sends RST (SO_LINGER 0) instead of FIN. */
    void close(Socket s, boolean reset) {
        try {
            if (reset && !s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // already reset by the server: closing is all that is left
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        open.remove(s);
    }

    int openCount() {
        return open.size();
    }

    void closeAll() {
        for (Socket s : open) {
            close(s, false);
        }
    }
}
