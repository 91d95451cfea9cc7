package dev.ringhttp.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

/** What a client socket sees of the way the server closed it. */
public final class SocketAssertions {

    /**
     * What a client's small receive buffer (a few KiB asked for) can hold once the kernel has rounded it up;
     * far below the megabytes a server's send buffer queues on loopback.
     */
    public static final int SMALL_RECEIVE_BUFFER_BOUND = 256 * 1024;

    private SocketAssertions() {
    }

    /**
     * The server reset this client rather than closing gracefully: reading gives what the client's own receive
     * buffer already held, then a reset, and none of what the server's send buffer had queued for it.
     */
    public static void assertResetAfterSmallRead(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65_536];
        long total = 0;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            fail("graceful end of stream after " + total + " bytes; expected a reset");
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
        assertThat(total).as("bytes read before the reset").isLessThan(SMALL_RECEIVE_BUFFER_BOUND);
    }
}
