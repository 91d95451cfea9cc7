package dev.ringhttp.bench.load;

import com.github.luben.zstd.ZstdDecompressCtx;
import dev.ringhttp.bench.peers.Payload;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * A WebSocket load client: {@code threads} selector loops share the connections, each with its own direct read
 * buffer, parse server frames in place, count messages and record delivery latency (now minus the server's
 * {@link Payload} stamp, both {@code System.nanoTime()}, microseconds) into an HdrHistogram. Nothing is allocated
 * per message; latency uses one clock read per socket read, so it errs on the late side by at most one read.
 * Compressed messages (zstd binary frames, or permessage-deflate frames with RSV1) are all counted, but only the
 * first of each read is decompressed for its stamp, so the latency of compressed runs is a sample of one message
 * per read. Bytes are counted as they cross the wire: frame headers and payloads.
 *
 * <p>Connections are opened by the loops themselves, at most {@value #OPENING} handshakes in flight per loop.
 * "Stalled" connections complete the handshake and then never read again (the slow consumers).
 * Messages count only inside the measurement window set by {@link #measure}; per-second counts are kept for the
 * whole run. The client's own CPU time is reported so the harness can show it is not the bottleneck.
 */
public final class WsLoadClient implements AutoCloseable {

    private static final int OPENING = 128;
    private static final int STALLED_RECEIVE_BUFFER = 4096;
    private static final int MAX_SECONDS = 3600;
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final InetSocketAddress address;
    private final byte[] handshake;
    private final int bufferSize;
    private final List<Loop> loops = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowUntil = Long.MAX_VALUE;

    /**
     * @param readers    connections that read everything
     * @param stalled    connections that stop reading after the handshake
     * @param compression what to offer the server (compressed frames are then decompressed to read the stamp)
     * @param bufferSize read buffer per connection; must hold the largest frame
     */
    public WsLoadClient(InetSocketAddress address, String path, int readers, int stalled, Compression compression,
            int threads, int bufferSize) throws IOException {
        this.address = address;
        this.bufferSize = bufferSize;
        this.handshake = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + compression.offer()
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < threads; i++) {
            int r = readers / threads + (i < readers % threads ? 1 : 0);
            int s = stalled / threads + (i < stalled % threads ? 1 : 0);
            loops.add(new Loop(i, r, s));
        }
        for (Loop loop : loops) {
            loop.thread.start();
        }
    }

    /** Waits until every connection is open (or failed); returns the open count. */
    public int awaitOpen(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            int pending = 0;
            for (Loop loop : loops) {
                pending += loop.target - loop.opened - loop.failed;
            }
            if (pending == 0) {
                break;
            }
            Thread.sleep(20);
        }
        return open();
    }

    public int open() {
        int n = 0;
        for (Loop loop : loops) {
            n += loop.opened;
        }
        return n;
    }

    /** Counts from {@code delayMillis} from now for {@code durationMillis}, and blocks until the window ends. */
    public Result measure(long delayMillis, long durationMillis) throws InterruptedException {
        long from = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        long until = from + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        for (Loop loop : loops) {
            loop.requestReset = true;
        }
        windowFrom = from;
        windowUntil = until;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(delayMillis);
        long cpu0 = cpu(mx);
        long t0 = System.nanoTime();
        Thread.sleep(durationMillis);
        long cpu1 = cpu(mx);
        long t1 = System.nanoTime();
        Thread.sleep(50); // let the loops finish the read that crosses the window end
        Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        long messages = 0;
        long bytes = 0;
        int readerCloses = 0;
        int stalledCloses = 0;
        for (Loop loop : loops) {
            synchronized (loop) {
                latency.add(loop.latency);
                messages += loop.messages;
                bytes += loop.bytes;
            }
            readerCloses += loop.readerCloses;
            stalledCloses += loop.stalledCloses;
        }
        double seconds = (t1 - t0) / 1e9;
        return new Result(messages / seconds, bytes / seconds, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(), (cpu1 - cpu0) / 1e9 / seconds,
                open(), readerCloses, stalledCloses);
    }

    /** Reading connections the server has closed so far. */
    public int readerCloses() {
        int n = 0;
        for (Loop loop : loops) {
            n += loop.readerCloses;
        }
        return n;
    }

    /**
     * Makes the stalled connections read again and drain, for up to {@code drainMillis}, then returns how many
     * turned out to be closed by the server (end of stream or reset). A connection that never reads cannot see
     * its close: a graceful one waits behind the bytes queued for it, so this is how the run learns the count.
     */
    public int wakeStalledAndCountClosed(long drainMillis) throws InterruptedException {
        for (Loop loop : loops) {
            loop.wakeStalled = true;
        }
        Thread.sleep(drainMillis);
        int n = 0;
        for (Loop loop : loops) {
            n += loop.stalledCloses;
        }
        return n;
    }

    /** Messages delivered in each second since the client started, summed over the readers. */
    public long[] perSecond() {
        int seconds = (int) Math.min(MAX_SECONDS, (System.nanoTime() - startNanos) / 1_000_000_000L + 1);
        long[] sums = new long[seconds];
        for (Loop loop : loops) {
            for (int i = 0; i < seconds; i++) {
                sums[i] += loop.perSecond[i];
            }
        }
        return sums;
    }

    private long cpu(ThreadMXBean mx) {
        long sum = 0;
        for (Loop loop : loops) {
            sum += Math.max(0, mx.getThreadCpuTime(loop.thread.getId()));
        }
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        for (Loop loop : loops) {
            loop.thread.interrupt();
        }
        for (Loop loop : loops) {
            loop.thread.join(5000);
        }
    }

    /**
     * One measurement.
     *
     * @param messagesPerSecond delivered to readers, summed
     * @param cpuCores          CPU time of the client's loops per second of wall time (1.0 = one core busy)
     */
    public record Result(double messagesPerSecond, double bytesPerSecond, long p50Micros, long p99Micros,
            long maxMicros, double cpuCores, int open, int readerCloses, int stalledCloses) {
    }

    /** The state of one connection. */
    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer buffer;
        final boolean stalled;
        boolean open;

        Conn(SocketChannel channel, ByteBuffer buffer, boolean stalled) {
            this.channel = channel;
            this.buffer = buffer;
            this.stalled = stalled;
        }
    }

    private final class Loop implements Runnable {
        final Thread thread;
        final int target;
        final int stalledTarget;
        volatile int opened;
        volatile int failed;
        volatile int readerCloses;
        volatile int stalledCloses;
        volatile boolean requestReset;
        volatile boolean wakeStalled;
        private final List<SelectionKey> stalledKeys = new ArrayList<>();
        final long[] perSecond = new long[MAX_SECONDS];
        final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        long messages;
        long bytes;
        private int started;
        private int inFlight;
        private final ByteBuffer inflated = ByteBuffer.allocateDirect(64 * 1024);
        private final ZstdDecompressCtx zstd = new ZstdDecompressCtx(); // reused: a context per call costs more than the data
        /** Reset per message: the server deflates each one without context takeover. */
        private final Inflater deflate = new Inflater(true);

        Loop(int index, int readers, int stalled) {
            this.target = readers + stalled;
            this.stalledTarget = stalled;
            this.thread = new Thread(this, "ws-load-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        while (inFlight < OPENING && started < target) {
                            startOne(selector, started < stalledTarget);
                        }
                        if (wakeStalled && !stalledKeys.isEmpty()) {
                            for (SelectionKey key : stalledKeys) {
                                if (key.isValid()) {
                                    key.interestOps(SelectionKey.OP_READ);
                                }
                            }
                            stalledKeys.clear();
                        }
                        selector.select(this::ready, 100);
                    }
                } finally {
                    zstd.close();
                    deflate.end();
                    // Closing the selector only deregisters: close the sockets too, or every run leaks them.
                    for (SelectionKey key : selector.keys()) {
                        try {
                            key.channel().close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    }
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
        }

        private void startOne(Selector selector, boolean stalled) {
            started++;
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (stalled) {
                    // A small receive window, so the stalled client's kernel buffer fills in seconds, not minutes.
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
                }
                Conn conn = new Conn(ch, ByteBuffer.allocateDirect(bufferSize), stalled);
                inFlight++;
                if (ch.connect(address)) {
                    ch.write(ByteBuffer.wrap(handshake));
                    ch.register(selector, SelectionKey.OP_READ, conn);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, conn);
                }
            } catch (IOException e) {
                inFlight--;
                failed++;
            }
        }

        private void ready(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    ByteBuffer hs = ByteBuffer.wrap(handshake);
                    while (hs.hasRemaining()) {
                        c.channel.write(hs);
                    }
                    key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                int n = c.channel.read(c.buffer);
                if (n < 0) {
                    gone(key, c);
                    return;
                }
                if (!c.open) {
                    handshake(key, c);
                } else if (c.stalled) {
                    c.buffer.clear(); // woken at the end of a run only to find out whether it was closed
                } else {
                    frames(key, c);
                }
            } catch (IOException e) {
                gone(key, c);
            }
        }

        private void handshake(SelectionKey key, Conn c) {
            ByteBuffer b = c.buffer;
            int end = -1;
            for (int i = 3; i < b.position(); i++) {
                if (b.get(i) == '\n' && b.get(i - 1) == '\r' && b.get(i - 2) == '\n' && b.get(i - 3) == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return;
            }
            boolean ok = b.get(9) == '1' && b.get(10) == '0' && b.get(11) == '1';
            inFlight--;
            if (!ok) {
                failed++;
                key.cancel();
                closeQuietly(c);
                return;
            }
            c.open = true;
            opened++;
            b.flip().position(end);
            b.compact();
            if (c.stalled) {
                key.interestOps(0); // never read again (until woken at the end): the slow consumer
                stalledKeys.add(key);
            } else {
                frames(key, c);
            }
        }

        private void frames(SelectionKey key, Conn c) {
            long now = System.nanoTime();
            if (requestReset && now >= windowFrom) {
                synchronized (this) {
                    latency.reset();
                    messages = 0;
                    bytes = 0;
                }
                requestReset = false;
            }
            boolean counting = now >= windowFrom && now < windowUntil && !requestReset;
            ByteBuffer b = c.buffer;
            int limit = b.position();
            int at = 0;
            int count = 0;
            while (limit - at >= 2) {
                int b0 = b.get(at) & 0xFF;
                int len = b.get(at + 1) & 0x7F;
                int header = 2;
                if (len == 126) {
                    if (limit - at < 4) {
                        break;
                    }
                    len = b.getShort(at + 2) & 0xFFFF;
                    header = 4;
                } else if (len == 127) {
                    if (limit - at < 10) {
                        break;
                    }
                    len = (int) b.getLong(at + 2);
                    header = 10;
                }
                if (header + len > b.capacity()) {
                    throw new IllegalStateException("frame of " + len + " bytes exceeds the read buffer");
                }
                if (limit - at < header + len) {
                    break;
                }
                int opcode = b0 & 0x0F;
                int payload = at + header;
                if (opcode == 1 || opcode == 2 || opcode == 0) {
                    count++;
                    if (counting) {
                        // Decompressing every message would make this client the bottleneck (it decompresses the
                        // same message once per connection, the server compressed it once): sample the first of
                        // each read, which is also the one whose latency the single clock read fits best.
                        boolean deflated = (b0 & 0x40) != 0;
                        long stamp = !deflated && opcode != 2 ? Payload.timestamp(b, payload)
                                : count > 1 ? -1
                                : deflated ? inflatedStamp(b, payload, len)
                                : zstdStamp(b, payload, len);
                        if (stamp > 0) {
                            latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, now - stamp) / 1000));
                        }
                        bytes += header + len;
                    }
                } else if (opcode == 8) {
                    gone(key, c);
                    return;
                }
                at += header + len;
            }
            if (counting) {
                synchronized (this) {
                    messages += count;
                }
            }
            int second = (int) ((now - startNanos) / 1_000_000_000L);
            if (second < MAX_SECONDS) {
                perSecond[second] += count;
            }
            b.limit(limit).position(at);
            b.compact();
        }

        private long zstdStamp(ByteBuffer b, int offset, int length) {
            long n = zstd.decompressDirectByteBuffer(inflated, 0, inflated.capacity(), b, offset, length);
            return n < Payload.MIN_SIZE ? -1 : Payload.timestamp(inflated, 0);
        }

        /** Inflates just the start of a permessage-deflate message: the stamp is in its first bytes. */
        private long inflatedStamp(ByteBuffer b, int offset, int length) {
            int position = b.position();
            int limit = b.limit();
            deflate.reset();
            b.limit(offset + length).position(offset);
            deflate.setInput(b);
            inflated.clear().limit(Payload.MIN_SIZE);
            try {
                while (inflated.hasRemaining() && !deflate.needsInput()) {
                    if (deflate.inflate(inflated) == 0) {
                        break;
                    }
                }
            } catch (DataFormatException e) {
                throw new IllegalStateException("the server sent a message that does not inflate", e);
            } finally {
                b.limit(limit).position(position);
            }
            return inflated.position() < Payload.MIN_SIZE ? -1 : Payload.timestamp(inflated, 0);
        }

        private void gone(SelectionKey key, Conn c) {
            key.cancel();
            if (c.open) {
                if (c.stalled) {
                    stalledCloses++;
                } else {
                    readerCloses++;
                }
                c.open = false;
                opened--;
            } else {
                inFlight--;
                failed++;
            }
            closeQuietly(c);
        }

        private void closeQuietly(Conn c) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
