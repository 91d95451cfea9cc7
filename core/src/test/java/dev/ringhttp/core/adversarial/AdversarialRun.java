package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrameReader;
import dev.ringhttp.core.testing.WsFrames;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeded run against a real server: small pools and a small ring (so eviction and full-pool paths
 * run all the time), hostile clients, broadcasts from threads and callbacks, closes by handle; then the
 * end-of-run invariants. Returns every violation seen; the caller decides how to fail.
 *
 * <p>What a seed fixes: each client's decisions, the broadcasters' and the closer's. Thread timing is
 * not fixed, so a replay hits the same mix of behaviours but not necessarily the same interleaving.
 */
final class AdversarialRun {

    static final int CLIENTS = 12;
    /** The loop's share of one CPU while every client is idle: far below a spin, far above a few probes. */
    static final double IDLE_CPU_BOUND = 0.10;

    /** What a run found. */
    record Result(long seed, Violations violations, String stats) {
    }

    private AdversarialRun() {
    }

    static ServerConfig config(int eventLoops) {
        return ServerConfig.builder().address(InetAddress.getLoopbackAddress()).port(0).eventLoops(eventLoops)
                .maxConnections(8).maxWsConnections(4)
                .maxRequestLength(128 * 1024).maxWsMessageLength(70_000).maxWsSendFrames(48)
                .outgoingBufferSize(256 * 1024)
                .requestReadTimeout(Duration.ofSeconds(10)).idleTimeout(Duration.ofSeconds(30))
                .wsIdleTimeout(Duration.ofSeconds(60)).build();
    }

    /**
     * @param eventLoops with more than one, the pools split between the loops, a broadcast crosses them and a
     *                   handler's send may reach a WebSocket of another loop
     */
    static Result run(long seed, long millis, int eventLoops) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Violations violations = new Violations();
        ServerConfig config = config(eventLoops);
        ServerLedger ledger = new ServerLedger(violations, config.maxConnections(), config.maxWsConnections());
        AdversarialHandlers handlers = new AdversarialHandlers(ledger, violations, random.nextLong());
        ServerLogWatch log = new ServerLogWatch(violations);
        log.install();
        RingHttpServer server = RingHttpServer.create(config, handlers.http(), handlers.ws());
        handlers.attach(server);
        server.start();
        StringBuilder stats = new StringBuilder();
        try {
            ClientSockets sockets = new ClientSockets(server.address().getPort());
            ClientContext ctx = new ClientContext(server, sockets, ledger, violations, config);
            warmUp(ctx);
            long fdBaseline = ServerHealth.openFds();
            java.util.Map<String, String> fdsBefore = ServerHealth.fdTargets();

            ProbeClient probe = new ProbeClient(ctx);
            probe.start();
            List<Broadcaster> broadcasters = List.of(new Broadcaster(server, "T0", random.split()),
                    new Broadcaster(server, "T1", random.split()));
            broadcasters.forEach(Broadcaster::start);
            VictimCloser closer = new VictimCloser(server, ledger, random.split());
            closer.start();
            List<ClientDriver> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                ClientDriver d = new ClientDriver(ctx, i, random.split());
                clients.add(d);
                d.start();
            }

            long deadline = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() - deadline < 0 && server.isRunning()) {
                Thread.sleep(50);
            }
            ctx.stop();
            long ended = System.nanoTime();
            if (!server.isRunning()) {
                // A dead loop answers nothing: unblock the clients now rather than after their timeouts.
                sockets.closeAll();
            }
            for (ClientDriver d : clients) {
                String stuck = d.join(30_000);
                if (stuck != null) {
                    violations.add("client did not finish within 30 s after the run ended", stuck);
                }
            }
            sockets.closeAll();
            for (Broadcaster b : broadcasters) {
                b.stop();
            }
            closer.stop();
            long joined = System.nanoTime();

            if (loopAlive(server, violations)) {
                checkIdleLoop(server, ctx, random.split(), violations);
                probe.stop();
                checkQuiescence(server, ledger, sockets, violations, fdBaseline, fdsBefore);
            } else {
                probe.stop();
                sockets.closeAll();
            }
            stats.append(String.format("clients joined in %d ms, end checks %d ms; ", (joined - ended) / 1_000_000,
                    (System.nanoTime() - joined) / 1_000_000));
            stats.append(String.format("connections %d, requests %d, upgrades %d, broadcasts %d, probes %d "
                    + "(worst %d ms), evictions %d, too slow %d/%d",
                    sockets.connects.get(), server.counters().requests(), server.counters().upgrades(),
                    server.counters().broadcasts(), probe.answers(), probe.worstMillis(), server.counters().evictions(),
                    server.counters().closes(ConnectionType.HTTP, dev.ringhttp.core.CloseReason.TOO_SLOW),
                    server.counters().closes(ConnectionType.WEBSOCKET, dev.ringhttp.core.CloseReason.WS_CLIENT_TOO_SLOW)));
        } finally {
            server.shutdown(Duration.ofSeconds(1));
            log.uninstall();
        }
        return new Result(seed, violations, stats.toString());
    }

    /**
     * One HTTP exchange and one WebSocket echo before the descriptor baseline is taken, so that what the
     * JDK opens once on first use (not per connection) is not counted as a leak.
     */
    private static void warmUp(ClientContext ctx) throws Exception {
        ClientTag tag = new ClientTag(-4, 0, false, false);
        java.net.Socket s = ctx.sockets.connect(0);
        s.getOutputStream().write(Payloads.get("/e/" + tag.text() + "/0/10"));
        HttpResponseReader.read(new java.io.BufferedInputStream(s.getInputStream()), false);
        ctx.sockets.close(s, false);
        ClientTag wsTag = new ClientTag(-4, 1, false, false);
        java.net.Socket w = ctx.sockets.connect(0);
        w.getOutputStream().write(RawWebSocket.handshake("/ws/" + wsTag.text()));
        java.io.InputStream in = new java.io.BufferedInputStream(w.getInputStream());
        HttpResponseReader.readHead(in);
        byte[] message = Payloads.wsMessage('E', wsTag.text(), 0, 50, true);
        w.getOutputStream().write(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, message, 7));
        ServerFrameReader.read(in);
        ctx.sockets.close(w, false);
        ServerHealth.await(() -> ctx.ledger.closeOf(tag.text()) != null && ctx.ledger.closeOf(wsTag.text()) != null, 5_000);
    }

    private static boolean loopAlive(RingHttpServer server, Violations violations) {
        if (server.isRunning() && server.failure() == null) {
            return true;
        }
        Throwable f = server.failure();
        StringBuilder detail = new StringBuilder(String.valueOf(f));
        if (f != null) {
            StackTraceElement[] frames = f.getStackTrace();
            for (int i = 0; i < Math.min(12, frames.length); i++) {
                detail.append("\n  at ").append(frames[i]);
            }
        }
        violations.add("event loop died", detail.toString());
        return false;
    }

    /** With every client idle (some holding unread responses and echoes), the loop must be nearly idle. */
    private static void checkIdleLoop(RingHttpServer server, ClientContext ctx, SplittableRandom r,
            Violations violations) throws Exception {
        IdleHolders holders = new IdleHolders(ctx, r);
        try {
            holders.open(2, 2);
            Thread.sleep(500);
            double cpu = ServerHealth.loopCpu(server, 1_000);
            if (cpu > IDLE_CPU_BOUND) {
                violations.add("loop busy while every client is idle (spinning?)",
                        String.format("%.0f%% of a CPU over 1 s", cpu * 100));
            }
        } finally {
            holders.close();
        }
    }

    /** Slots, descriptors and close callbacks all back where they started; the loop alive. */
    private static void checkQuiescence(RingHttpServer server, ServerLedger ledger, ClientSockets sockets,
            Violations violations, long fdBaseline, java.util.Map<String, String> fdsBefore) throws Exception {
        if (!loopAlive(server, violations)) {
            return;
        }
        if (!ServerHealth.await(() -> ServerHealth.activeCounted(server) == 0, 10_000)) {
            violations.add("connections still counted active after every client closed",
                    "HTTP " + server.counters().active(ConnectionType.HTTP) + ", WebSocket "
                            + server.counters().active(ConnectionType.WEBSOCKET));
        }
        int open = ServerHealth.openConnections(server);
        if (open != 0) {
            violations.add("pool slots still taken after every client closed", open + " connections: "
                    + server.connections().get());
        }
        long connects = sockets.connects.get();
        if (!ServerHealth.await(() -> ledger.httpCloses.get() + ledger.wsOpens.get() == connects
                && ledger.wsOpens.get() == ledger.wsCloses.get(), 5_000)) {
            violations.add("close callbacks do not match the connections made (exactly one close per open)",
                    "client connections " + connects + ", accepted " + server.counters().accepted()
                            + ", HTTP closes " + ledger.httpCloses + ", WebSocket opens " + ledger.wsOpens
                            + ", WebSocket closes " + ledger.wsCloses);
        }
        if (!ServerHealth.await(() -> ServerHealth.openFds() <= fdBaseline, 5_000)) {
            violations.add("file descriptors leaked", ServerHealth.openFds() + " open, baseline " + fdBaseline
                    + "; new: " + ServerHealth.newFds(fdsBefore));
        }
    }
}
