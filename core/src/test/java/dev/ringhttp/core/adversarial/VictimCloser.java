package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.RingHttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Closes victim connections from another thread by the handle taken on the loop when they opened,
 * as an application closing a session would. The victim may have gone already and its slot may hold
 * a newer connection: that one must not be touched (the ledger flags any non-victim closed by the
 * application).
 */
final class VictimCloser implements Runnable {

    private final RingHttpServer server;
    private final ServerLedger ledger;
    private final SplittableRandom r;
    private volatile boolean running = true;
    private Thread thread;

    VictimCloser(RingHttpServer server, ServerLedger ledger, SplittableRandom r) {
        this.server = server;
        this.ledger = ledger;
        this.r = r;
    }

    void start() {
        thread = new Thread(this, "adv-victim-closer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            SplitWriter.pause(10 + r.nextInt(60));
            Long ws = pick(ledger.victimWs);
            if (ws != null) {
                // A handle kept a little while: the victim may close and its slot be reused meanwhile.
                SplitWriter.pause(r.nextInt(20));
                ConnectionHandles.closeWebSocket(server, ws);
            }
            Long http = pick(ledger.victimHttp);
            if (http != null) {
                SplitWriter.pause(r.nextInt(20));
                ConnectionHandles.closeHttp(server, http);
            }
        }
    }

    private Long pick(Map<String, Long> victims) {
        List<Long> handles = new ArrayList<>(victims.values());
        return handles.isEmpty() ? null : handles.get(r.nextInt(handles.size()));
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(2_000);
    }
}
