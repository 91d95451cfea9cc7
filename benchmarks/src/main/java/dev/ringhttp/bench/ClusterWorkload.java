package dev.ringhttp.bench;

import dev.ringhttp.bench.Harness.Peer;
import dev.ringhttp.bench.Harness.PeerProcess;
import dev.ringhttp.bench.load.Compression;
import dev.ringhttp.bench.load.WsLoadClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The cluster broadcast workload: two instances of a clustered starter application
 * ({@link dev.ringhttp.bench.peers.cluster.ClusterPeer}), A and B, share one redis-server; {@value #CLIENTS}
 * clients listen on each; A broadcasts {@value #SIZE}-byte messages through its messenger.
 * <ul>
 * <li><b>Added latency</b>: A broadcasts at a steady {@value #LATENCY_RATE} messages/s; the clients on A get each
 *     message through A's loop, those on B through A's publisher, Redis, B's subscriber and B's loop. Both sides'
 *     latencies come from the message's stamp (the broadcaster's {@code nanoTime}); the difference is what the
 *     cluster adds.
 * <li><b>Throughput</b>: A broadcasts as fast as its cluster link takes the messages (the broadcaster keeps half
 *     the publish queue in flight, so none is dropped for a full queue); the figure is what B's clients receive.
 *     The CPU of A, B and redis-server shows which of them is the bottleneck.
 * </ul>
 * Pinning as for the other workloads: the servers (A, B and redis-server) on CPU 1, the load client on CPU 0.
 */
final class ClusterWorkload {

    static final int REDIS_PORT = 16379;
    static final int PORT_A = Harness.PORT;
    static final int PORT_B = Harness.PORT + 1;
    static final int CLIENTS = 10;
    static final int SIZE = 64;
    static final int LATENCY_RATE = 2000;
    static final int MAX_WARMUP_ROUNDS = 8;
    /**
     * Frames each client may have queued: received broadcasts arrive in bursts (a publisher's batch), and a load
     * client that falls that far behind is closed as too slow, which would end its part in the measurement.
     */
    static final int SEND_FRAMES = 4096;

    private final Peer peer;
    private final Results table;
    private final List<String> notes;
    private final Path results;
    private final boolean taskset;
    private final int reps;
    private final long windowMillis;
    private final Function<String, List<String>> profiling;

    /** @param profiling the JVM flags that profile an instance, by label; none without {@code --profile} */
    ClusterWorkload(Peer peer, Results table, List<String> notes, Path results, boolean taskset, int reps,
            long windowMillis, Function<String, List<String>> profiling) {
        this.profiling = profiling;
        this.peer = peer;
        this.table = table;
        this.notes = notes;
        this.results = results;
        this.taskset = taskset;
        this.reps = reps;
        this.windowMillis = windowMillis;
    }

    void run() throws Exception {
        try (RedisProcess redis = RedisProcess.start(REDIS_PORT, taskset, results);
                PeerProcess b = instance("b", PORT_B, 0, 0)) {
            awaitLinkUp(PORT_B);
            addedLatency(b);
            throughput(redis, b);
        }
    }

    /** Fresh clients for each phase: a client the server closed (too slow) would report stale figures. */
    private static WsLoadClient clients(PeerProcess instance) throws Exception {
        WsLoadClient clients = new WsLoadClient(instance.address(), "/ws", CLIENTS, 0, Compression.NONE, 1, 64 * 1024);
        if (clients.awaitOpen(15_000) < CLIENTS) {
            clients.close();
            throw new IllegalStateException("only " + clients.open() + " of " + CLIENTS + " clients connected");
        }
        return clients;
    }

    private void addedLatency(PeerProcess b) throws Exception {
        String wl = "Cluster broadcast: " + Results.number(LATENCY_RATE) + " msg/s of " + SIZE
                + " B broadcast on instance A, " + CLIENTS + " clients on each instance";
        try (PeerProcess a = instance("a", PORT_A, SIZE, LATENCY_RATE);
                WsLoadClient onA = clients(a);
                WsLoadClient onB = clients(b)) {
            awaitLinkUp(PORT_A);
            warmUp(onA, onB);
            for (int r = 0; r < reps; r++) {
                WsLoadClient.Result[] res = both(onA, onB, windowMillis);
                table.add(wl, "p50 delivery latency, clients on A (local)", "ms", false, peer.name(), res[0].p50Micros() / 1000.0);
                table.add(wl, "p50 delivery latency, clients on B (through Redis)", "ms", false, peer.name(), res[1].p50Micros() / 1000.0);
                table.add(wl, "p50 latency added by the cluster", "ms", false, peer.name(),
                        (res[1].p50Micros() - res[0].p50Micros()) / 1000.0);
                table.add(wl, "p99 delivery latency, clients on A (local)", "ms", false, peer.name(), res[0].p99Micros() / 1000.0);
                table.add(wl, "p99 delivery latency, clients on B (through Redis)", "ms", false, peer.name(), res[1].p99Micros() / 1000.0);
                table.add(wl, "p99 latency added by the cluster", "ms", false, peer.name(),
                        (res[1].p99Micros() - res[0].p99Micros()) / 1000.0);
                table.add(wl, "messages/s delivered on B", "msg/s", true, peer.name(), res[1].messagesPerSecond());
            }
            notes.add("cluster latency run, instance A's counters: " + counters(PORT_A) + "; B's: " + counters(PORT_B)
                    + "; clients closed by the servers so far: " + onA.readerCloses() + " on A, " + onB.readerCloses()
                    + " on B");
        }
    }

    private void throughput(RedisProcess redis, PeerProcess b) throws Exception {
        String wl = "Cluster broadcast: " + SIZE + " B broadcast on instance A as fast as the cluster takes them, "
                + CLIENTS + " clients on each instance";
        try (PeerProcess a = instance("a", PORT_A, SIZE, 0);
                WsLoadClient onA = clients(a);
                WsLoadClient onB = clients(b)) {
            awaitLinkUp(PORT_A);
            warmUp(onA, onB);
            for (int r = 0; r < reps; r++) {
                long cpuA = a.cpuTicks();
                long cpuB = b.cpuTicks();
                long cpuRedis = redis.cpuTicks();
                WsLoadClient.Result[] res = both(onA, onB, windowMillis);
                double seconds = windowMillis / 1000.0;
                table.add(wl, "messages/s delivered on B", "msg/s", true, peer.name(), res[1].messagesPerSecond());
                table.add(wl, "broadcasts/s crossing from A to B", "msg/s", true, peer.name(),
                        res[1].messagesPerSecond() / CLIENTS);
                table.add(wl, "messages/s delivered on A (local)", "msg/s", true, peer.name(), res[0].messagesPerSecond());
                table.add(wl, "p99 delivery latency, clients on B", "ms", false, peer.name(), res[1].p99Micros() / 1000.0);
                table.add(wl, "instance A CPU", "cores", false, peer.name(), a.cores(cpuA, seconds));
                table.add(wl, "instance B CPU", "cores", false, peer.name(), b.cores(cpuB, seconds));
                table.add(wl, "redis-server CPU", "cores", false, peer.name(), redis.cores(cpuRedis, seconds));
                table.add(wl, "load client CPU (both)", "cores", false, peer.name(),
                        res[0].cpuCores() + res[1].cpuCores());
            }
            notes.add("cluster throughput run, instance A's counters: " + counters(PORT_A) + "; B's: "
                    + counters(PORT_B) + "; clients closed by the servers so far: " + onA.readerCloses() + " on A, "
                    + onB.readerCloses() + " on B");
        }
    }

    /**
     * Runs 2-second rounds until B's rate settles (two rounds in a row within 10%), at most
     * {@value #MAX_WARMUP_ROUNDS}: both instances compile the whole path (the publisher, Lettuce, the receiver,
     * two event loops) before it runs at speed, which takes seconds on a busy CPU.
     */
    private void warmUp(WsLoadClient onA, WsLoadClient onB) throws Exception {
        double previous = both(onA, onB, 2000)[1].messagesPerSecond();
        int rounds = 1;
        while (rounds < MAX_WARMUP_ROUNDS) {
            double rate = both(onA, onB, 2000)[1].messagesPerSecond();
            rounds++;
            boolean steady = previous > 0 && Math.abs(rate - previous) <= 0.1 * previous;
            previous = rate;
            if (steady) {
                break;
            }
        }
        notes.add("cluster warm-up: " + rounds + " rounds of 2 s");
    }

    /** Measures the clients on A and on B over the same window. */
    private static WsLoadClient.Result[] both(WsLoadClient onA, WsLoadClient onB, long millis) throws Exception {
        CompletableFuture<WsLoadClient.Result> a = CompletableFuture.supplyAsync(() -> {
            try {
                return onA.measure(0, millis);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        WsLoadClient.Result b = onB.measure(0, millis);
        return new WsLoadClient.Result[] {a.get(millis + 10_000, TimeUnit.MILLISECONDS), b};
    }

    private PeerProcess instance(String name, int port, int size, int rate) throws Exception {
        List<String> flags = new ArrayList<>(profiling.apply("cluster-" + name + (rate > 0 ? "-latency" : "")));
        flags.addAll(List.of("-Dbench.redisPort=" + REDIS_PORT, "-Dbench.instance=" + name, "-Dbench.rate=" + rate,
                "-Dbench.maxPending=" + SEND_FRAMES));
        PeerProcess p = PeerProcess.start(peer, port, size, false, "close", taskset, results, flags);
        p.describeExit(peer.name() + " instance " + name, notes);
        return p;
    }

    /** Waits until the instance's cluster link is UP (its own heartbeats come back through Redis). */
    private static void awaitLinkUp(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!linkUp(port)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the cluster link on port " + port + " is not UP: " + counters(port));
            }
            Thread.sleep(50);
        }
    }

    private static boolean linkUp(int port) {
        try {
            return counters(port).getOrDefault("state", "").equals("UP");
        } catch (IOException e) {
            return false; // not answering yet
        }
    }

    /** The instance's {@code GET /cluster}: its link state and counters. */
    static Map<String, String> counters(int port) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /cluster HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int head = response.indexOf("\r\n\r\n");
            if (head < 0) {
                return values; // closed before answering: still starting
            }
            String body = response.substring(head + 4);
            for (String line : body.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
        }
        return values;
    }

    /** redis-server on a loopback port, without persistence, pinned with the servers. */
    static final class RedisProcess implements AutoCloseable {

        private final Process process;

        private RedisProcess(Process process) {
            this.process = process;
        }

        static RedisProcess start(int port, boolean taskset, Path results) throws Exception {
            // A server already there (left by an earlier run) would answer the PING below in this one's place.
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " is in use; stop what listens there", e);
            }
            List<String> cmd = new ArrayList<>();
            if (taskset) {
                cmd.addAll(List.of("taskset", "-c", "1"));
            }
            String binary = Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server"
                    : "redis-server";
            cmd.addAll(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"));
            Path log = Files.createDirectories(results.resolve("logs")).resolve("redis-server.log");
            System.out.printf(Locale.ROOT, "[%tT] redis-server on port %d%n", System.currentTimeMillis(), port);
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RedisProcess redis = new RedisProcess(process);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!redis.answersPing(port)) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    redis.close();
                    throw new IllegalStateException("redis-server did not start on port " + port + "; see " + log);
                }
                Thread.sleep(20);
            }
            return redis;
        }

        private boolean answersPing(int port) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                byte[] reply = new byte[7];
                return in.readNBytes(reply, 0, 7) == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
            } catch (IOException e) {
                return false;
            }
        }

        long cpuTicks() {
            return PeerProcess.ticks(process.pid());
        }

        double cores(long ticksBefore, double seconds) {
            long now = cpuTicks();
            return ticksBefore < 0 || now < 0 ? Double.NaN : (now - ticksBefore) / 100.0 / seconds;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
