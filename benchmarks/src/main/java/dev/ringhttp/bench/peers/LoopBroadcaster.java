package dev.ringhttp.bench.peers;

import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerCounters;
import dev.ringhttp.core.Staging;
import java.nio.ByteBuffer;

/**
 * ringhttp's broadcaster for the fan-out workloads, shared by the core and the starter peer. Runs on the loop
 * thread, as the API intends: it stages {@link #BATCH} messages zero-copy into the ring and re-queues itself with
 * {@code execute}, so each pass of the loop over its tasks broadcasts one batch, and the turn writes it out. It paces itself on the server's
 * counters: it stages more only while the frames queued but not yet written, over all clients, stay under half of
 * what their queues hold. A client that cannot keep up is not waited for: its queue fills and the server closes it.
 * Allocates nothing per message.
 */
public final class LoopBroadcaster implements Runnable {

    public static final int BATCH = 16;

    private final RingHttpServer server;
    private final int channel;
    private final byte[] template;
    private final long window;
    private long framesHandedOut;
    private long lastClients;

    public LoopBroadcaster(RingHttpServer server, int channel, int size, int queueLength) {
        this.server = server;
        this.channel = channel;
        this.template = Payload.template(size);
        this.window = queueLength / 2;
    }

    @Override
    public void run() {
        ServerCounters counters = server.counters();
        long clients = counters.active(ConnectionType.WEBSOCKET);
        if (clients < lastClients) {
            framesHandedOut = counters.framesWritten(); // clients left with frames queued: count afresh
        }
        lastClients = clients;
        if (clients > 0) {
            // Frames written also count a few control frames; good enough for pacing, never for results.
            long queued = framesHandedOut - counters.framesWritten();
            if (queued < clients * window) {
                Staging staging = server.staging();
                for (int i = 0; i < BATCH; i++) {
                    ByteBuffer space = staging.reserve(template.length);
                    int at = space.position();
                    space.put(at, template);
                    Payload.stamp(space, at, System.nanoTime());
                    staging.commit(template.length);
                    if (staging.broadcast(channel, true)) {
                        framesHandedOut += clients;
                    }
                }
            }
        }
        server.execute(this);
    }
}
