package dev.ringhttp.bench.peers;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * ringhttp, bare core. Configured for the benchmark's largest run (10,000 idle WebSockets; 1,000 readers with
 * 1 KiB messages) and left alone otherwise: the ring is 64 MiB, each WebSocket may queue
 * {@link PeerOptions#maxPending()} frames, incoming WebSocket messages are small (the clients send none).
 *
 * <p>The broadcaster runs on the loop thread, as the API intends: a task stages messages zero-copy into the ring
 * ({@code staging().reserve/commit().broadcast()}) and re-queues itself with {@code execute}, so every loop turn
 * broadcasts one batch and then writes it out. It paces itself on the server's counters: it stages more only while
 * the frames queued but not yet written, over all clients, stay under half of what their queues hold. A client
 * that cannot keep up is not waited for: its queue fills and the server closes it ({@code WS_CLIENT_TOO_SLOW}),
 * whatever {@link PeerOptions#policy()} says.
 *
 * <p>{@link PeerOptions#loops()} event loops (1 unless the harness runs {@code --loops}). The pools split evenly
 * between loops while {@code SO_REUSEPORT} spreads connections by a hash, never exactly evenly, so with several
 * loops the WebSocket pool gets a tenth more per loop than an even split of 10,240 (11,264 for 2 loops): 10,000
 * idle connections cannot then overflow one loop's share and evict. With several loops the broadcaster still runs
 * on one loop (the first); each of its broadcasts is handed to the other loops and stored once in each ring.
 */
public final class RingHttpCorePeer {

    private static final int CHANNEL = 0;

    private RingHttpCorePeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerOptions options = PeerOptions.fromSystemProperties();
        int loops = options.loopsOr(1);
        ServerConfig config = ServerConfig.builder()
                .address(InetAddress.getLoopbackAddress())
                .port(options.port())
                .maxConnections(1024)
                .maxWsConnections(wsConnections(loops))
                .maxWsMessageLength(1024)
                .maxWsSendFrames(Math.max(options.maxPending(), 2 * LoopBroadcaster.BATCH))
                .outgoingBufferSize(64 << 20)
                .compressWebSocket(options.compress())
                .eventLoops(loops)
                .build();
        ByteBuffer hello = ByteBuffer.allocateDirect(Payload.HELLO_BYTES.length).put(Payload.HELLO_BYTES).flip()
                .asReadOnlyBuffer();
        RingHttpServer server = RingHttpServer.create(config,
                (request, response) -> {
                    if (request.pathEquals("/hello")) {
                        response.contentType("text/plain").body(hello);
                    } else if (request.pathEquals("/ws") && request.isWebSocketUpgrade()) {
                        response.upgradeToWebSocket(CHANNEL);
                    } else {
                        response.status(404).body("Not Found\n");
                    }
                },
                WebSocketHandler.NONE);
        server.start();
        if (options.size() > 0) {
            server.execute(new LoopBroadcaster(server, CHANNEL, options.size(), config.maxWsSendFrames()));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(java.time.Duration.ofSeconds(1))));
        PeerOptions.ready("ringhttp", server.address().getPort());
        Thread.currentThread().join();
    }

    /** 10,240 for one loop (as before loops existed); with more, a tenth of headroom over an even split per loop. */
    public static int wsConnections(int loops) {
        return loops == 1 ? 10_240 : loops * (10_240 / loops + 10_240 / loops / 10);
    }
}
