package dev.ringhttp.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * What the kernel may hold in the send queues of the server's sockets, each of which asks for
 * {@link ServerConfig#socketSendBuffer()} bytes with {@code SO_SNDBUF}.
 *
 * <p>The OS may grant less than asked: Linux clamps the request to {@code net.core.wmem_max}. What
 * it granted is read back from a probe socket, so the figure follows the machine the server runs
 * on. Linux then doubles the granted value, to leave room for its own bookkeeping (socket(7)), and
 * counts that bookkeeping against it, so the doubled value bounds the kernel memory of one send
 * queue while the payload it holds is somewhat less. The JDK reports the value before doubling.
 *
 * <p>This bound is kernel memory, outside the JVM; it is never part of
 * {@link RingHttpServer#footprint()}, which counts the server's own buffers.
 */
final class KernelSendBuffers {

    /** Linux doubles {@code SO_SNDBUF} requests (socket(7)); other systems take them as they are. */
    private static final int LINUX_FACTOR = 2;

    private KernelSendBuffers() {
    }

    /** Bytes of kernel memory one socket's send queue may hold when it asks for {@code requested}. */
    static long perSocket(int requested) {
        return (long) granted(requested) * factor();
    }

    /**
     * Bytes of kernel memory the send queues of every connection {@code config} allows open at once
     * (both pools) may hold.
     */
    static long limit(ServerConfig config) {
        return perSocket(config.socketSendBuffer()) * ((long) config.maxConnections() + config.maxWsConnections());
    }

    /** What the OS grants a socket that asks for {@code requested}, as the JDK reports it; the request itself if it cannot tell. */
    private static int granted(int requested) {
        try (SocketChannel probe = SocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_SNDBUF, requested);
            return probe.getOption(StandardSocketOptions.SO_SNDBUF);
        } catch (IOException | UnsupportedOperationException e) {
            return requested;
        }
    }

    private static int factor() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") ? LINUX_FACTOR : 1;
    }
}
