package dev.ringhttp.core.adversarial;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * One client thread: session after session until the run stops, each an HTTP or a WebSocket
 * connection whose behaviour its own random source decides (seeded from the run's seed and the
 * client's number, so a seed replays the same decisions).
 */
final class ClientDriver implements Runnable {

    private final ClientContext ctx;
    private final int client;
    private final SplittableRandom r;
    private volatile String doing = "starting";
    private Thread thread;

    ClientDriver(ClientContext ctx, int client, SplittableRandom r) {
        this.ctx = ctx;
        this.client = client;
        this.r = r;
    }

    void start() {
        thread = new Thread(this, "adv-client-" + client);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        for (int connection = 0; ctx.running(); connection++) {
            ClientTag tag = new ClientTag(client, connection, r.nextInt(8) == 0 && Behaviours.on(Behaviours.VICTIMS),
                    r.nextInt(5) == 0 && Behaviours.on(Behaviours.THROWING_HANDLERS));
            boolean ws = r.nextInt(100) < 45;
            doing = (ws ? "WebSocket " : "HTTP ") + tag;
            try {
                if (ws) {
                    new WsClientSession(ctx, r.split(), tag).run();
                } else {
                    new HttpClientSession(ctx, r.split(), tag).run();
                }
            } catch (ClientSockets.ConnectFailed e) {
                if (ctx.running()) {
                    ctx.violations.add("loopback connect failed", tag + ": " + e.getCause());
                }
            } catch (IOException e) {
                // A write refused: the server closed the connection under the client. Only a reason the
                // client allows may explain it (0 answers counted: the close may precede any request).
                try {
                    ctx.checkCut(tag, ws ? "WebSocket (write failed)" : "HTTP (write failed)", 0, 0, e.toString());
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                ctx.violations.add("client crashed", doing + ": " + e);
            }
            SplitWriter.pause(r.nextInt(30));
        }
        doing = "done";
    }

    /** Waits for the thread; returns what it is still doing when it does not finish in time, else null. */
    String join(long millis) throws InterruptedException {
        thread.join(millis);
        return thread.isAlive() ? doing + " at " + stack(thread) : null;
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(6, frames.length); i++) {
            sb.append("\n    at ").append(frames[i]);
        }
        return sb.toString();
    }
}
