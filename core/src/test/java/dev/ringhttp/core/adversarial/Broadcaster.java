package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.Staging;
import java.util.SplittableRandom;

/**
 * Broadcasts from a thread of its own through {@link RingHttpServer#broadcast}, numbered per thread:
 * every receiver must see this thread's messages intact and in order, without gaps.
 */
final class Broadcaster implements Runnable {

    private final RingHttpServer server;
    private final String source;
    private final SplittableRandom r;
    private volatile boolean running = true;
    private long seq;
    private Thread thread;

    Broadcaster(RingHttpServer server, String source, SplittableRandom r) {
        this.server = server;
        this.source = source;
        this.r = r;
    }

    void start() {
        thread = new Thread(this, "adv-broadcaster-" + source);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            int length = switch (r.nextInt(20)) {
                case 0 -> 4_000 + r.nextInt(28_000);
                case 1, 2 -> 0;
                default -> r.nextInt(400);
            };
            server.broadcast(Staging.ALL_CHANNELS, Payloads.broadcast(source, seq++, length), r.nextBoolean());
            // Now and then a burst of hand-offs in one loop turn: queues fill before any flush.
            SplitWriter.pause(r.nextInt(8) == 0 ? 0 : 2 + r.nextInt(15));
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
