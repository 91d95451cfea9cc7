package dev.ringhttp.bench.jmh;

import dev.ringhttp.bench.peers.Payload;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.Staging;
import dev.ringhttp.core.WebSocketHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Staging one 64-byte message zero-copy into the ring, broadcasting it to {@code connections} real WebSockets and
 * running one loop turn ({@code poll(0)}), which writes it to every socket. The benchmark thread is the server's
 * loop thread ({@code listen()} + {@code poll}); the clients are loopback sockets opened in setup, drained by one
 * thread that discards what it reads. So the score includes the {@code writev} calls, which dominate it; the core
 * offers no public hook to stop before the writes, and queuing without writing would fill the frame queues.
 * An operation takes milliseconds, so an iteration holds only a few hundred, and JMH's own per-iteration
 * allocations (on every thread of the fork, which {@code gc.alloc.rate.norm} sums) come to hundreds of bytes per
 * operation: that figure is JMH's floor here, not the server's. {@link LoopAllocation} therefore also counts what
 * the loop thread itself allocates inside the measured operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
public class BroadcastBenchmark {

    @Param({"1000"})
    public int connections;

    private RingHttpServer server;
    private final byte[] template = Payload.template(64);
    private final List<SocketChannel> clients = new ArrayList<>();
    private Thread drain;
    private volatile boolean draining = true;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ServerConfig config = ServerConfig.builder().address(InetAddress.getLoopbackAddress()).port(0)
                .maxWsConnections(connections).maxWsMessageLength(1024).maxWsSendFrames(256)
                .outgoingBufferSize(16 << 20).build();
        server = RingHttpServer.create(config, (request, response) -> response.upgradeToWebSocket(0),
                WebSocketHandler.NONE);
        InetSocketAddress address = server.listen();
        byte[] upgrade = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < connections; i++) {
            SocketChannel c = SocketChannel.open(address);
            c.write(ByteBuffer.wrap(upgrade));
            clients.add(c);
            server.poll(0);
        }
        while (server.counters().active(ConnectionType.WEBSOCKET) < connections) {
            server.poll(10);
        }
        ByteBuffer head = ByteBuffer.allocate(1024);
        for (SocketChannel c : clients) {
            head.clear();
            while (!endsWithBlankLine(head)) {
                if (c.read(head) < 0) {
                    throw new IOException("closed during the handshake");
                }
            }
            c.configureBlocking(false);
        }
        Selector selector = Selector.open();
        for (SocketChannel c : clients) {
            c.register(selector, SelectionKey.OP_READ);
        }
        ByteBuffer sink = ByteBuffer.allocateDirect(256 * 1024);
        // One consumer for every select: a lambda written inside the loop would be a new object per call.
        java.util.function.Consumer<SelectionKey> discard = key -> {
            try {
                do {
                    sink.clear();
                } while (((SocketChannel) key.channel()).read(sink) > 0);
            } catch (IOException e) {
                key.cancel();
            }
        };
        drain = new Thread(() -> {
            while (draining) {
                try {
                    selector.select(discard, 100);
                } catch (IOException e) {
                    return;
                }
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
    }

    private static boolean endsWithBlankLine(ByteBuffer b) {
        int n = b.position();
        return n >= 4 && b.get(n - 4) == '\r' && b.get(n - 3) == '\n' && b.get(n - 2) == '\r' && b.get(n - 1) == '\n';
    }

    @Benchmark
    public int stageBroadcastAndWrite() {
        loopAllocation.open();
        Staging staging = server.staging();
        ByteBuffer space = staging.reserve(template.length);
        int at = space.position();
        space.put(at, template);
        Payload.stamp(space, at, System.nanoTime());
        staging.commit(template.length);
        staging.broadcast(true);
        int turn = server.poll(0);
        loopAllocation.close();
        return turn;
    }

    private final LoopAllocation loopAllocation = new LoopAllocation("BroadcastBenchmark.stageBroadcastAndWrite");

    @Setup(Level.Iteration)
    public void startCounting(IterationParams iteration) {
        loopAllocation.startIteration(iteration);
    }

    @TearDown(Level.Iteration)
    public void stopCounting() throws IOException {
        loopAllocation.endIteration();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        long slow = server.counters().closes(ConnectionType.WEBSOCKET, CloseReason.WS_CLIENT_TOO_SLOW);
        if (slow > 0) {
            System.out.println("WARNING: " + slow + " connections were closed as too slow; the score is not comparable");
        }
        draining = false;
        drain.join(1000);
        server.close();
        for (SocketChannel c : clients) {
            c.close();
        }
    }
}
