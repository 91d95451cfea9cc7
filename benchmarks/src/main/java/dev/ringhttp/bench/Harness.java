package dev.ringhttp.bench;

import dev.ringhttp.bench.load.Compression;
import dev.ringhttp.bench.load.WsLoadClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs every peer through every workload on this machine, one peer at a time, and writes
 * {@code results/latest.md} and {@code results/latest.png}. Started by {@code benchmarks/run.sh}, which builds the
 * module, resolves the classpaths and pins this JVM (the load generators) to CPU 0; each peer is started with
 * {@code taskset -c 1} and identical JVM flags ({@link #JVM_FLAGS}).
 *
 * <p>Arguments: {@code --quick} (one repetition, short runs: a smoke check, not a measurement),
 * {@code --peers a,b}, {@code --workloads http,close,ws,slow,footprint,jmh} (the default; {@code cluster}, two
 * clustered instances sharing broadcasts through a redis-server, runs only when named: {@link ClusterWorkload}),
 * {@code --reps n},
 * {@code --seconds n}, {@code --policy wait|close} (what the JVM peers' broadcasters do with a full client),
 * {@code --no-pin} (no {@code taskset}: every process shares the CPUs the harness was started on),
 * {@code --profile} (each JVM peer runs under async-profiler and leaves a CPU flame graph in
 * {@code results/profiles}; the figures of such a run include the profiler's cost),
 * {@code --loops 1,2} (each peer runs the HTTP and broadcast workloads once per count of event loops, I/O threads or
 * nginx workers; see {@link #serverCpus(int, int)} for where each process then runs).
 *
 * <p>Native peers: nginx, and Firedancer's {@code fd_http_server} ({@value #FD_HTTP_SERVER}) once
 * {@code fd-http-server/build.sh} has built it from a Firedancer checkout. The latter closes every connection after
 * one response and has one thread, so it runs the connection-per-request workload at one loop only.
 */
public final class Harness {

    /** Every JVM peer gets exactly these: fixed heap, G1 (the JDK's default collector, what most servers run). */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
    static final int PORT = 18080;
    /**
     * fd_http_server's port. It binds without {@code SO_REUSEADDR}, so the TIME_WAIT sockets that the other peers'
     * Connection: close runs leave on {@link #PORT} would fail its bind for a minute.
     */
    static final int FD_PORT = PORT + 2;
    static final int MAX_WARMUP_ROUNDS = 3;
    static final Set<String> QUICK_ALL_WORKLOADS = Set.of("ringhttp", "netty");

    private final Path root;
    private final Path results;
    private final boolean quick;
    private final int reps;
    private final int seconds;
    private final int warmupSeconds;
    private final long broadcastWindowMillis;
    private final String policy;
    private final Set<String> workloads;
    private final List<Peer> peers;
    private final String mainClasspath;
    private final Results table = new Results();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, List<long[]>> slowSeries = new LinkedHashMap<>();
    private final Path profiler;
    private final List<String> warmUps = new ArrayList<>();
    private final boolean taskset;
    /** {@code --loops}: the event loop counts to run the scaling workloads with, in order; [1] without it. */
    private final List<Integer> loops;
    /** Whether {@code --loops} was given: only then do peers get {@code bench.loops} (else their old defaults). */
    private final boolean loopsGiven;

    static final String FD_HTTP_SERVER = "fd-http-server";

    /**
     * A peer: a JVM main class on its classpath, or a native server ({@code mainClass} null: nginx or
     * {@value #FD_HTTP_SERVER}). {@code keepAlive}: it serves several requests per connection.
     */
    record Peer(String name, String mainClass, String classpath, boolean websocket, boolean keepAlive) {
        Peer(String name, String mainClass, String classpath, boolean websocket) {
            this(name, mainClass, classpath, websocket, true);
        }

        /** Runs with several event loops ({@code --loops}); fd_http_server has one thread. */
        boolean scales() {
            return !name.equals(FD_HTTP_SERVER);
        }
    }

    Harness(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick") || args[i].equals("--profile") || args[i].equals("--no-pin")) {
                opts.put(args[i].substring(2), "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            }
        }
        this.quick = opts.containsKey("quick");
        // --no-pin: every process stays on the CPUs the harness was started on (taskset -c 0 run.sh --no-pin ...),
        // for a machine whose other CPU is busy with something that must not be disturbed.
        this.taskset = !opts.containsKey("no-pin") && new java.io.File("/usr/bin/taskset").canExecute() && cpus() >= 2;
        this.root = Path.of(opts.getOrDefault("root", "benchmarks")).toAbsolutePath();
        this.results = root.resolve("results");
        this.reps = Integer.parseInt(opts.getOrDefault("reps", quick ? "1" : "3"));
        this.seconds = Integer.parseInt(opts.getOrDefault("seconds", quick ? "1" : "2"));
        this.warmupSeconds = quick ? 1 : 2;
        // Three quarters of a wrk run: a broadcast window counts millions of messages, a wrk run cannot be shorter
        // than a whole second, and the suite has to fit in 20 minutes.
        this.broadcastWindowMillis = seconds * 750L;
        this.policy = opts.getOrDefault("policy", "wait");
        this.workloads = Set.of(opts.getOrDefault("workloads", "http,close,ws,slow,footprint,jmh").split(","));
        this.loopsGiven = opts.containsKey("loops");
        this.loops = parseLoops(opts.getOrDefault("loops", "1"));
        Path cpDir = root.resolve("target/classpath");
        String classes = root.resolve("target/classes").toString();
        String main = classes + ":" + Files.readString(cpDir.resolve("main.txt")).trim();
        this.mainClasspath = main;
        String mvc = cpDir.resolve("mvc.txt").toFile().exists()
                ? classes + ":" + Files.readString(cpDir.resolve("mvc.txt")).trim() : null;
        String webflux = cpDir.resolve("webflux.txt").toFile().exists()
                ? classes + ":" + Files.readString(cpDir.resolve("webflux.txt")).trim() : null;
        List<Peer> all = new ArrayList<>(List.of(
                new Peer("ringhttp", "dev.ringhttp.bench.peers.RingHttpCorePeer", main, true),
                new Peer("ringhttp-starter", "dev.ringhttp.bench.peers.starter.StarterPeer", main, true),
                new Peer("netty", "dev.ringhttp.bench.peers.NettyPeer", main, true),
                new Peer("undertow", "dev.ringhttp.bench.peers.UndertowPeer", main, true),
                new Peer("jetty", "dev.ringhttp.bench.peers.JettyPeer", main, true)));
        if (mvc != null) {
            all.add(new Peer("spring-mvc-tomcat", "dev.ringhttp.bench.peers.mvc.TomcatMvcPeer", mvc, true));
        }
        if (webflux != null) {
            all.add(new Peer("spring-webflux", "dev.ringhttp.bench.peers.webflux.WebFluxPeer", webflux, true));
        }
        all.add(new Peer("nginx", null, null, false));
        boolean fdBuilt = fdHello(root).toFile().canExecute();
        if (fdBuilt) {
            all.add(new Peer(FD_HTTP_SERVER, null, null, false, false));
        }
        String only = opts.get("peers");
        if (only != null) {
            List<String> names = Arrays.asList(only.split(","));
            all.removeIf(p -> !names.contains(p.name()));
            if (names.contains(FD_HTTP_SERVER) && !fdBuilt) {
                notes.add(FD_HTTP_SERVER + " was asked for but not built: run benchmarks/fd-http-server/build.sh with"
                        + " a Firedancer checkout first (see benchmarks/README.md).");
            }
        }
        this.peers = all;
        this.profiler = opts.containsKey("profile") ? unpackProfiler(root, main) : null;
    }

    /** {@code --loops 1,2}: distinct positive counts, in the order given. */
    static List<Integer> parseLoops(String value) {
        List<Integer> counts = new ArrayList<>();
        for (String part : value.split(",")) {
            int n = Integer.parseInt(part.trim());
            if (n < 1) {
                throw new IllegalArgumentException("--loops takes positive counts, got " + value);
            }
            if (!counts.contains(n)) {
                counts.add(n);
            }
        }
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("--loops takes positive counts, got " + value);
        }
        return List.copyOf(counts);
    }

    /**
     * A workload's label with its loop count, when the run has other counts than the default single loop
     * ({@code --loops 1,2}, {@code --loops 2}); unchanged otherwise, so a run without {@code --loops} reads as before.
     */
    static String label(String workload, int loops, List<Integer> counts) {
        return counts.equals(List.of(1)) ? workload : workload + ", " + loops + (loops == 1 ? " loop" : " loops");
    }

    private String label(String workload, int n) {
        return label(workload, n, loops);
    }

    /**
     * The CPUs a server with {@code n} loops runs on ({@code taskset -c} syntax), null when nothing is pinned. One
     * loop: CPU 1, as always. Fewer loops than CPUs: CPUs 1 to n, leaving CPU 0 to the load. As many loops as CPUs
     * or more (2 on the 2-CPU benchmark machine): every CPU, shared with the load generators.
     */
    static String serverCpus(int n, int cpus) {
        if (n == 1) {
            return "1";
        }
        return n < cpus ? "1-" + n : "0-" + (cpus - 1);
    }

    /**
     * The CPUs {@code wrk} runs on with a server of {@code n} loops: CPU 0, plus any CPU the server does not have;
     * every CPU when the server has them all. (This harness JVM, the WebSocket load client, stays on CPU 0, where
     * {@code run.sh} pinned it.)
     */
    static String loadCpus(int n, int cpus) {
        if (n >= cpus) {
            return "0-" + (cpus - 1);
        }
        int free = n + 1; // the first CPU the server leaves alone besides CPU 0
        if (n == 1 || free > cpus - 1) {
            return "0";
        }
        return free == cpus - 1 ? "0," + free : "0," + free + "-" + (cpus - 1);
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Harness h = new Harness(args);
        h.run();
        System.out.printf(Locale.ROOT, "done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    void run() throws Exception {
        Files.createDirectories(results);
        if (!taskset) {
            notes.add("--no-pin, taskset unavailable or fewer than 2 CPUs: servers and load generators were not pinned"
                    + " apart; they shared the CPUs the harness was started on.");
        }
        if (loopsGiven) {
            List<String> fixed = peers.stream().map(Peer::name)
                    .filter(n -> Set.of("jetty", "spring-mvc-tomcat", "spring-webflux").contains(n)).toList();
            if (!fixed.isEmpty()) {
                notes.add("--loops sets the event loops of ringhttp, ringhttp-starter, Netty (worker loops), Undertow"
                        + " (I/O threads) and nginx (workers); " + String.join(", ", fixed) + " kept their default"
                        + " thread counts at every loop count, only their CPUs changed.");
            }
        }
        // Each workload once per loop count, the counts one after the other, so their tables stand side by side.
        int firstLoops = loops.get(0);
        for (Peer peer : peers) {
            long started = System.nanoTime();
            for (int n : loops) {
                if (n > 1 && !peer.scales()) {
                    notes.add(peer.name() + " has one thread: it ran at 1 loop only.");
                    continue;
                }
                if (workloads.contains("http") && peer.keepAlive() || workloads.contains("close")) {
                    attempt(peer, "HTTP" + loopsSuffix(n), () -> runHttp(peer, n));
                }
            }
            for (int n : loops) {
                if (peer.websocket() && workloads.contains("ws")) {
                    attempt(peer, "broadcast" + loopsSuffix(n), () -> runFanOut(peer, n));
                }
            }
            // The quick smoke check runs the two workloads that start a peer three times each for two peers only.
            // Slow consumers and footprint measure memory under a fixed load, not throughput: they run once, with
            // the first loop count.
            boolean everything = !quick || QUICK_ALL_WORKLOADS.contains(peer.name());
            if (peer.websocket() && workloads.contains("slow") && everything) {
                attempt(peer, "slow consumers" + loopsSuffix(firstLoops), () -> runSlow(peer, firstLoops));
            }
            if (peer.websocket() && workloads.contains("footprint") && everything) {
                attempt(peer, "footprint" + loopsSuffix(firstLoops), () -> runFootprint(peer, firstLoops));
            }
            System.out.printf(Locale.ROOT, "[%tT] %s: all workloads in %.0f s%n", System.currentTimeMillis(), peer.name(),
                    (System.nanoTime() - started) / 1e9);
        }
        if (workloads.contains("cluster")) {
            Peer cluster = new Peer("ringhttp-cluster", "dev.ringhttp.bench.peers.cluster.ClusterPeer", mainClasspath,
                    true);
            long started = System.nanoTime();
            attempt(cluster, "cluster", () -> new ClusterWorkload(cluster, table, notes, results, taskset, reps,
                    broadcastWindowMillis, label -> profilerFlags(cluster, label)).run());
            System.out.printf(Locale.ROOT, "[%tT] cluster workload in %.0f s%n", System.currentTimeMillis(),
                    (System.nanoTime() - started) / 1e9);
        }
        if (workloads.contains("jmh")) {
            Jmh.run(root, results, quick, taskset, table, notes);
        }
        write();
    }

    /** ", 2 loops" where labels carry the loop count, else nothing. */
    private String loopsSuffix(int n) {
        return label("", n);
    }

    private interface Workload {
        void run() throws Exception;
    }

    /** One peer failing a workload (it would not start, say) is reported, and the suite goes on. */
    private void attempt(Peer peer, String what, Workload workload) {
        try {
            workload.run();
        } catch (Exception e) {
            e.printStackTrace(System.out);
            String message = peer.name() + ": the " + what + " workload failed: " + e;
            System.out.println(message);
            notes.add(message);
        }
    }

    // ---- workloads ----

    private void runHttp(Peer peer, int loops) throws Exception {
        try (PeerProcess p = start(peer, 0, false, "http", loops)) {
            if (loops == this.loops.get(0)) { // the same bytes at every loop count
                notes.add(peer.name() + " answers GET /hello with:\n```\n" + p.helloResponse() + "\n```");
                if (peer.name().equals(FD_HTTP_SERVER)) {
                    notes.add(FD_HTTP_SERVER + " is Firedancer " + PeerProcess.fdCommit(root)
                            + ", built by benchmarks/fd-http-server/build.sh; it waits in poll(2) between events.");
                }
            }
            int[] connections = quick ? new int[] {64} : new int[] {64, 256};
            boolean warm = false;
            if (workloads.contains("http") && peer.keepAlive()) {
                for (int c : connections) {
                    warmUp(peer, "HTTP keep-alive" + loopsSuffix(loops), warm,
                            () -> wrk(p, c, warmupSeconds, false, loops).rps);
                    warm = true;
                    for (int r = 0; r < reps; r++) {
                        long cpu0 = p.cpuTicks();
                        Wrk w = wrk(p, c, seconds, false, loops);
                        String wl = label("HTTP keep-alive, " + c + " connections", loops);
                        table.add(wl, "requests/s", "req/s", true, peer.name(), w.rps);
                        table.add(wl, "p99 latency", "ms", false, peer.name(), w.p99Millis);
                        double cores = p.cores(cpu0, seconds);
                        table.add(wl, "server CPU", "cores", false, peer.name(), cores);
                        table.add(wl, "server CPU per request", "µs", false, peer.name(), cores * 1e6 / w.rps);
                    }
                }
            }
            if (workloads.contains("close")) {
                warmUp(peer, "HTTP connection per request" + loopsSuffix(loops), warm,
                        () -> wrk(p, 64, warmupSeconds, true, loops).rps);
                String wl = label("HTTP connection per request (Connection: close), 64 connections", loops);
                for (int r = 0; r < reps; r++) {
                    long cpu0 = p.cpuTicks();
                    Wrk w = wrk(p, 64, seconds, true, loops);
                    double cores = p.cores(cpu0, seconds);
                    table.add(wl, "requests/s", "req/s", true, peer.name(), w.rps);
                    // wrk, not the server, is often the limit here (it opens and closes every connection):
                    // the server's CPU per request compares peers whatever the client manages.
                    table.add(wl, "server CPU", "cores", false, peer.name(), cores);
                    table.add(wl, "server CPU per request", "µs", false, peer.name(), cores * 1e6 / w.rps);
                    if (w.errors > 0) {
                        table.row(wl, "requests/s", "req/s", true, peer.name()).note = "wrk socket errors: " + w.errors;
                    }
                }
            }
        }
    }

    /** Where {@code fd-http-server/build.sh} leaves the fd_http_server peer. */
    static Path fdHello(Path root) {
        return root.resolve("fd-http-server/target/fd_hello");
    }

    /** One warm-up round: runs the load for a while and returns its rate. */
    private interface Round {
        double run() throws Exception;
    }

    /**
     * Warms a peer up. A fresh process runs rounds until two in a row are within 10% of each other (at most
     * {@value #MAX_WARMUP_ROUNDS}): the JIT of a large framework on one CPU takes far longer than that of a small
     * server, and a fixed warm-up would measure one of them half-compiled. A process already warmed by an earlier
     * workload runs one round.
     */
    private void warmUp(Peer peer, String what, boolean alreadyWarm, Round round) throws Exception {
        double previous = round.run();
        int rounds = 1;
        if (!alreadyWarm && !quick) {
            while (rounds < MAX_WARMUP_ROUNDS) {
                double rate = round.run();
                rounds++;
                boolean steady = previous > 0 && Math.abs(rate - previous) <= 0.1 * previous;
                previous = rate;
                if (steady) {
                    break;
                }
            }
            warmUps.add(peer.name() + " " + what + ": " + rounds);
        }
    }

    private void runFanOut(Peer peer, int loops) throws Exception {
        int[] clients = quick ? new int[] {100} : new int[] {100, 1000};
        int[] sizes = quick ? new int[] {64} : new int[] {64, 1024};
        // Compressed runs: ringhttp only (the others compress per connection, if at all), the largest case only.
        List<Compression> modes = peer.name().equals("ringhttp") && !quick ? List.of(Compression.values())
                : List.of(Compression.NONE);
        for (Compression compression : modes) {
            for (int size : sizes) {
                boolean compressed = compression != Compression.NONE;
                if (compressed && size < 200) {
                    continue; // ringhttp compresses messages over 200 bytes only
                }
                int[] counts = compressed ? new int[] {clients[clients.length - 1]} : clients;
                boolean zstd = compression == Compression.ZSTD;
                String label = compression.label().replace(", ", "-");
                try (PeerProcess p = start(peer, size, zstd, "broadcast-" + size + label, loops)) {
                    for (int n : counts) {
                        String wl = label("WebSocket broadcast, " + n + " clients, " + size + " B messages"
                                + compression.label(), loops);
                        String who = peer.name();
                        // Large reads: the client pays a system call per read, as the server does per write.
                        try (WsLoadClient client = new WsLoadClient(p.address(), "/ws", n, 0, compression, 1, 256 * 1024)) {
                            int open = client.awaitOpen(15_000); // ringhttp opens 1,000 in under a second
                            if (open < n) {
                                table.row(wl, "messages/s delivered", "msg/s", true, who).note = "only " + open + " of " + n + " connected";
                            }
                            // One-second rounds: unlike wrk runs, a window here can be short without losing precision.
                            warmUp(peer, "broadcast " + size + " B" + loopsSuffix(loops), n != counts[0],
                                    () -> client.measure(0, 1000).messagesPerSecond());
                            for (int r = 0; r < reps; r++) {
                                long cpu0 = p.cpuTicks();
                                WsLoadClient.Result res = client.measure(0, broadcastWindowMillis);
                                table.add(wl, "server CPU", "cores", false, who, p.cores(cpu0, broadcastWindowMillis / 1000.0));
                                table.add(wl, "messages/s delivered", "msg/s", true, who, res.messagesPerSecond());
                                table.add(wl, "p99 delivery latency", "ms", false, who, res.p99Micros() / 1000.0);
                                table.add(wl, "bytes on the wire per message", "B", false, who,
                                        res.bytesPerSecond() / res.messagesPerSecond());
                                table.add(wl, "load client CPU", "cores", false, who, res.cpuCores());
                                if (res.readerCloses() > 0) {
                                    table.row(wl, "messages/s delivered", "msg/s", true, who).note =
                                            res.readerCloses() + " clients closed by the server";
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * 1 KiB messages, so that the stalled clients' kernel buffers (a few MiB on loopback) fill within seconds and
     * the run shows what each server does next: ringhttp closes them, a waiting broadcaster stalls every reader,
     * a buffering one grows.
     */
    private void runSlow(Peer peer, int loops) throws Exception {
        int readers = quick ? 200 : 1000;
        int stalled = 10;
        int size = 1024;
        int duration = quick ? 3 : 5;
        String wl = label("Slow consumers: " + readers + " readers + " + stalled + " that stop reading, " + size
                + " B messages, " + duration + " s", loops);
        for (int r = 0; r < reps; r++) {
            try (PeerProcess p = start(peer, size, false, "slow-" + (r + 1), loops);
                    WsLoadClient client = new WsLoadClient(p.address(), "/ws", readers, stalled, Compression.NONE, 1, 64 * 1024)) {
                client.awaitOpen(30_000);
                long rss0 = p.rssKiB();
                List<long[]> samples = new ArrayList<>(); // second, RSS KiB, heap used KiB, readers' messages
                long[] before = client.perSecond();
                long deliveredFirst = 0;
                long deliveredLast = 0;
                long maxRss = 0;
                long maxHeap = 0;
                long t0 = System.nanoTime();
                for (int s = 0; s < duration; s++) {
                    // On the second, whatever the sampling itself took.
                    long wait = t0 + (s + 1) * 1_000_000_000L - System.nanoTime();
                    Thread.sleep(Math.max(0, wait / 1_000_000));
                    long[] now = client.perSecond();
                    long rss = p.rssKiB();
                    long heap = p.heapUsedKiB();
                    maxRss = Math.max(maxRss, rss);
                    maxHeap = Math.max(maxHeap, heap);
                    long delivered = sum(now) - sum(before);
                    before = now;
                    samples.add(new long[] {s + 1, rss, heap, delivered});
                    if (s < duration / 2) {
                        deliveredFirst += delivered;
                    } else {
                        deliveredLast += delivered;
                    }
                }
                if (!p.alive()) {
                    table.row(wl, "readers' delivered rate, last half", "msg/s", true, peer.name()).note =
                            "the peer exited during the run; see the notes";
                    continue;
                }
                double lastHalf = deliveredLast / (double) (duration - duration / 2);
                int stalledClosed = client.wakeStalledAndCountClosed(1000);
                table.add(wl, "readers' delivered rate, last half", "msg/s", true, peer.name(), lastHalf);
                table.add(wl, "RSS growth", "MiB", false, peer.name(), (maxRss - rss0) / 1024.0);
                table.add(wl, "max heap used", "MiB", false, peer.name(), maxHeap / 1024.0);
                table.row(wl, "readers' delivered rate, last half", "msg/s", true, peer.name()).note =
                        "stalled clients closed by the server: " + stalledClosed + "/" + stalled
                        + "; readers closed: " + client.readerCloses() + "; first half: "
                        + Results.number(deliveredFirst / (double) (duration / 2)) + " msg/s";
                if (r == 0) {
                    StringBuilder series = new StringBuilder(peer.name() + " slow-consumer run, one line a second:\n"
                            + "```\n  s   RSS KiB  heap KiB  readers' messages\n");
                    for (long[] x : samples) {
                        series.append(String.format(Locale.ROOT, "%3d %9d %9d %17d%n", x[0], x[1], x[2], x[3]));
                    }
                    notes.add(series.append("```").toString());
                    slowSeries.put(peer.name(), samples);
                }
            }
        }
    }

    private void runFootprint(Peer peer, int loops) throws Exception {
        int n = quick ? 2000 : 10_000;
        String wl = label("Footprint: " + n + " idle WebSocket connections", loops);
        for (int r = 0; r < reps; r++) {
            try (PeerProcess p = start(peer, 0, false, "footprint-" + (r + 1), loops)) {
                Thread.sleep(300);
                long idle = p.rssKiB();
                try (WsLoadClient client = new WsLoadClient(p.address(), "/ws", n, 0, Compression.NONE, 1, 1024)) {
                    int open = client.awaitOpen(30_000);
                    Thread.sleep(500);
                    long rss = p.rssKiB();
                    if (!p.alive()) {
                        // Dead (an OutOfMemoryError, say; close() reports how): no figure, and no point repeating.
                        table.row(wl, "RSS with connections open", "MiB", false, peer.name()).note =
                                "the peer exited with " + open + " of " + n + " connected; see the notes";
                        return;
                    }
                    table.add(wl, "RSS idle, before the connections", "MiB", false, peer.name(), idle / 1024.0);
                    table.add(wl, "RSS with connections open", "MiB", false, peer.name(), rss / 1024.0);
                    table.add(wl, "RSS added by the connections", "MiB", false, peer.name(), (rss - idle) / 1024.0);
                    if (open < n) {
                        table.row(wl, "RSS with connections open", "MiB", false, peer.name()).note = "only " + open + " connected";
                    }
                }
            }
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }

    /** Starts a peer; with {@code --profile}, a JVM peer runs under async-profiler and leaves profiles/PEER-LABEL.html. */
    private PeerProcess start(Peer peer, int size, boolean zstd, String label, int loops) throws Exception {
        String what = label + loopsSuffix(loops).replace(", ", "-").replace(' ', '-');
        int port = peer.name().equals(FD_HTTP_SERVER) ? FD_PORT : PORT;
        PeerProcess p = PeerProcess.start(peer, port, size, zstd, policy, taskset ? serverCpus(loops, cpus()) : null,
                loopsGiven ? loops : 0, results, profilerFlags(peer, what));
        p.describeExit(peer.name() + " (" + what + ")", notes);
        return p;
    }

    /** With {@code --profile}, the flags that leave a JVM peer's CPU profile in profiles/PEER-LABEL.html. */
    private List<String> profilerFlags(Peer peer, String label) {
        List<String> flags = new ArrayList<>();
        if (profiler != null && peer.mainClass() != null) {
            Path out;
            try {
                out = Files.createDirectories(results.resolve("profiles")).resolve(peer.name() + "-" + label + ".html");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // itimer: CPU samples without perf_events, which virtual machines often lack; written when the peer exits.
            flags.add("-agentpath:" + profiler + "=start,event=itimer,interval=1ms,file=" + out);
        }
        return flags;
    }

    /** Unpacks async-profiler's agent for this platform from its jar on the classpath. */
    private static Path unpackProfiler(Path root, String classpath) throws IOException {
        String jar = Arrays.stream(classpath.split(":")).filter(e -> e.contains("async-profiler")).findFirst()
                .orElseThrow(() -> new IllegalStateException("async-profiler is not on the classpath"));
        String platform = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        Path lib = Files.createDirectories(root.resolve("target/async-profiler")).resolve("libasyncProfiler.so");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar)) {
            java.util.zip.ZipEntry entry = zip.getEntry(platform + "/libasyncProfiler.so");
            if (entry == null) {
                throw new IllegalStateException("no " + platform + " agent in " + jar);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return lib;
    }

    // ---- wrk ----

    record Wrk(double rps, double p99Millis, long errors) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** One wrk thread for one loop, as always; n threads for n loops, on {@link #loadCpus(int, int)}. */
    private Wrk wrk(PeerProcess p, int connections, int durationSeconds, boolean close, int loops) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (taskset) {
            cmd.addAll(List.of("taskset", "-c", loadCpus(loops, cpus())));
        }
        cmd.addAll(List.of("wrk", "-t" + loops, "-c" + connections, "-d" + durationSeconds + "s", "--latency"));
        if (close) {
            cmd.addAll(List.of("-H", "Connection: close"));
        }
        cmd.add("http://127.0.0.1:" + p.address().getPort() + "/hello");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        proc.waitFor();
        return parseWrk(out);
    }

    static Wrk parseWrk(String out) {
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        Matcher err = ERRORS.matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + out);
        }
        double p99Millis = Double.NaN;
        if (p99.find()) {
            double v = Double.parseDouble(p99.group(1));
            p99Millis = switch (p99.group(2)) {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
        }
        long errors = 0;
        if (err.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(err.group(i));
            }
        }
        return new Wrk(Double.parseDouble(rps.group(1)), p99Millis, errors);
    }

    // ---- report ----

    private void write() throws IOException {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("date", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        machine.put("mode", quick ? "quick (smoke check: one short run each, not a measurement)"
                : "full (" + reps + " repetitions of " + seconds + " s each (broadcasts " + broadcastWindowMillis
                + " ms); before them, a fresh peer process runs "
                + "warm-up rounds (" + warmupSeconds + " s of wrk, 1 s of broadcast) until two in a row agree within 10% (at most "
                + MAX_WARMUP_ROUNDS + "), a process already warm one round)");
        machine.put("CPU", cpuModel() + ", " + cpus() + " CPUs");
        machine.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("peer JVM flags", String.join(" ", JVM_FLAGS));
        machine.put("pinning", pinning());
        if (loopsGiven) {
            machine.put("event loops", loops.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " (ringhttp and the starter: event loops; Netty: worker event loops, plus its acceptor loop;"
                    + " Undertow: I/O threads; nginx: worker processes); wrk runs one thread per loop"
                    + (workloads.contains("slow") || workloads.contains("footprint")
                            ? "; slow consumers and footprint ran with " + loops.get(0) + " only" : ""));
        }
        machine.put("broadcaster policy for full clients (JVM peers)", policy);
        if (profiler != null) {
            machine.put("profiled", "yes: every JVM peer ran under async-profiler (itimer, 1 ms), so the figures include its cost; flame graphs in results/profiles/");
        }
        if (!warmUps.isEmpty()) {
            notes.add("Warm-up rounds a fresh peer process needed before its figures settled: " + String.join("; ", warmUps));
        }
        String md = Report.markdown(table, machine, notes);
        Files.writeString(results.resolve("latest.md"), md);
        Report.chart(table, slowSeries, results.resolve("latest.png"));
        System.out.println(md);
    }

    /** Where the servers and the load generators ran, for each loop count. */
    private String pinning() {
        if (!taskset) {
            return "none";
        }
        String one = "server on CPU 1, load generators (wrk, WebSocket client, this harness) on CPU 0";
        if (loops.equals(List.of(1))) {
            return one;
        }
        List<String> parts = new ArrayList<>();
        for (int n : loops) {
            if (n == 1) {
                parts.add("1 loop: " + one);
                continue;
            }
            String server = serverCpus(n, cpus());
            String load = loadCpus(n, cpus());
            boolean shared = server.startsWith("0");
            parts.add(n + " loops: server on CPUs " + server + ", wrk (" + n + " threads) on CPUs " + load
                    + ", WebSocket client and this harness on CPU 0"
                    + (shared ? " (SHARED: the server has every CPU and the load generators run on them too, so"
                    + " its figures are limited by that sharing and are a lower bound)" : ""));
        }
        return String.join("; ", parts);
    }

    /** CPUs of the machine (not of this process, which run.sh pins to one). */
    static int cpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    // ---- peer processes ----

    /** A running peer: its own JVM (or nginx), pinned, logging to results/logs. */
    static final class PeerProcess implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path tempDir;

        /** Eden, the two survivor spaces and the old generation, as hsperfdata names them. */
        private static final List<String> HEAP_COUNTERS = List.of("sun.gc.generation.0.space.0.used",
                "sun.gc.generation.0.space.1.used", "sun.gc.generation.0.space.2.used",
                "sun.gc.generation.1.space.0.used");
        private sun.jvmstat.monitor.MonitoredVm heap;
        private volatile boolean outOfMemory;
        private String name;
        private List<String> notes;

        /** Where to report it if the peer exits before the harness stops it. */
        void describeExit(String name, List<String> notes) {
            this.name = name;
            this.notes = notes;
        }

        private PeerProcess(Process process, int port, Path tempDir) {
            this.process = process;
            this.port = port;
            this.tempDir = tempDir;
        }

        static PeerProcess start(Peer peer, int size, boolean zstd, String policy, boolean taskset, Path results,
                List<String> extraJvmFlags) throws Exception {
            return start(peer, PORT, size, zstd, policy, taskset, results, extraJvmFlags);
        }

        /** A JVM peer on {@code port}; {@code extraJvmFlags} may carry further {@code -Dbench.*} options. */
        static PeerProcess start(Peer peer, int port, int size, boolean zstd, String policy, boolean taskset,
                Path results, List<String> extraJvmFlags) throws Exception {
            return start(peer, port, size, zstd, policy, taskset ? "1" : null, 0, results, extraJvmFlags);
        }

        /**
         * A peer on {@code port}, pinned to {@code cpus} ({@code taskset -c} syntax; null: not pinned), with
         * {@code loops} event loops ({@code bench.loops}, nginx's {@code worker_processes}; 0: the peer's default,
         * one nginx worker).
         */
        static PeerProcess start(Peer peer, int port, int size, boolean zstd, String policy, String cpus, int loops,
                Path results, List<String> extraJvmFlags) throws Exception {
            awaitPortFree(port);
            List<String> cmd = new ArrayList<>();
            if (cpus != null) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            Path temp = null;
            if (peer.name().equals(FD_HTTP_SERVER)) {
                // Waits in poll(2), as the other peers wait in epoll; --log-path "": no log file per start.
                cmd.addAll(List.of(fdHello(Path.of("benchmarks")).toString(), Integer.toString(port), "1024",
                        "--log-path", ""));
            } else if (peer.mainClass() == null) {
                temp = Files.createTempDirectory("ringhttp-nginx");
                Files.createDirectories(temp.resolve("logs"));
                String conf = Files.readString(Path.of("benchmarks/nginx.conf")).replace("@PORT@", Integer.toString(port))
                        .replace("@WORKERS@", Integer.toString(Math.max(1, loops)));
                Files.writeString(temp.resolve("nginx.conf"), conf);
                cmd.addAll(List.of(nginx(), "-p", temp.toString(), "-c", temp.resolve("nginx.conf").toString(),
                        "-g", "daemon off;"));
            } else {
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(JVM_FLAGS);
                cmd.addAll(extraJvmFlags);
                if (loops > 0) {
                    cmd.add("-Dbench.loops=" + loops);
                }
                cmd.addAll(List.of("-Dbench.port=" + port, "-Dbench.size=" + size, "-Dbench.policy=" + policy,
                        "-Dbench.compress=" + zstd, "-cp", peer.classpath(), peer.mainClass()));
            }
            Path logs = Files.createDirectories(results.resolve("logs"));
            Path log = logs.resolve(peer.name() + (port == PORT ? "" : "-" + port) + ".log");
            System.out.printf("[%tT] %s size=%d zstd=%b%s%n", System.currentTimeMillis(), peer.name(), size, zstd,
                    loops > 0 ? " loops=" + loops + (cpus != null ? " cpus=" + cpus : "") : "");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            PeerProcess p = new PeerProcess(process, port, temp);
            Thread pump = new Thread(() -> p.pump(log), peer.name() + "-log");
            pump.setDaemon(true);
            pump.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(peer.name() + " exited; see " + log);
                }
                if (p.helloResponseOrNull() != null) {
                    return p;
                }
                Thread.sleep(100);
            }
            p.close();
            throw new IllegalStateException(peer.name() + " did not answer /hello within 60 s; see " + log);
        }

        /**
         * Waits until nothing answers on {@code port}, so the readiness probe below cannot mistake another process
         * (an earlier peer still shutting down, a server left running by hand) for the peer being started: one left
         * on the port had once answered for three peers in a row.
         */
        private static void awaitPortFree(int port) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 15_000;
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                } catch (IOException refused) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("port " + port + " still answers 15 s after the previous peer"
                            + " was stopped");
                }
                Thread.sleep(100);
            }
        }

        /** The Firedancer commit {@code fd_hello} was built from, as {@code build.sh} recorded it. */
        static String fdCommit(Path root) {
            try {
                return Files.readString(root.resolve("fd-http-server/target/fd_hello.commit")).trim();
            } catch (IOException e) {
                return "unknown";
            }
        }

        private static String nginx() {
            return new java.io.File("/usr/sbin/nginx").canExecute() ? "/usr/sbin/nginx" : "nginx";
        }

        /** Copies the peer's output to its log, noting an OutOfMemoryError on the way. */
        private void pump(Path log) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                    java.io.Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.contains("OutOfMemoryError")) {
                        outOfMemory = true;
                    }
                    out.write(line);
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException ignored) {
                // process ended
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }

        /** The raw response to one GET /hello (Date value masked), or null while not listening. */
        String helloResponseOrNull() {
            try (Socket s = new Socket()) {
                s.connect(address(), 1000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (!response.startsWith("HTTP/1.1 200") || !response.endsWith("Hello, World!")) {
                    throw new IllegalStateException("bad /hello response: " + response);
                }
                return response;
            } catch (IOException e) {
                return null;
            }
        }

        String helloResponse() {
            String r = helloResponseOrNull();
            return r == null ? "(none)" : r.replace("\r\n", "\\r\\n\n").replaceAll("(?im)^(Date: ).*(\\\\r\\\\n)$", "$1<date>$2")
                    + "  (" + r.length() + " bytes)";
        }

        boolean alive() {
            return process.isAlive();
        }

        /**
         * CPU time of the peer's processes (all threads; for nginx, the master and its worker), in clock ticks
         * (USER_HZ, 100 on Linux); -1 if unknown.
         */
        long cpuTicks() {
            long ticks = ticks(process.pid());
            for (ProcessHandle child : process.descendants().toList()) {
                long t = ticks(child.pid());
                ticks += Math.max(0, t);
            }
            return ticks;
        }

        static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Cores busy since {@code ticksBefore}, over a window of {@code seconds}. */
        double cores(long ticksBefore, double seconds) {
            long now = cpuTicks();
            return ticksBefore < 0 || now < 0 ? Double.NaN : (now - ticksBefore) / 100.0 / seconds;
        }

        long rssKiB() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D+", ""));
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // gone
            }
            return -1;
        }

        /**
         * Java heap in use (eden, survivors and old generation), KiB; -1 for nginx or when it cannot be read. Read
         * from the peer's hsperfdata counters in this JVM, the way {@code jstat} reads them, without starting a
         * {@code jstat} process (which costs most of a second of the load generators' CPU per sample).
         */
        long heapUsedKiB() {
            try {
                if (heap == null) {
                    heap = sun.jvmstat.monitor.MonitoredHost.getMonitoredHost("localhost")
                            .getMonitoredVm(new sun.jvmstat.monitor.VmIdentifier(Long.toString(process.pid())));
                }
                long bytes = 0;
                for (String counter : HEAP_COUNTERS) {
                    sun.jvmstat.monitor.Monitor m = heap.findByName(counter);
                    if (m == null) {
                        return -1;
                    }
                    bytes += ((Number) m.getValue()).longValue();
                }
                return bytes / 1024;
            } catch (Exception e) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
            if (heap != null) {
                heap.detach();
            }
            if (!process.isAlive() && notes != null) {
                String message = name + " exited by itself during the run, exit code " + process.exitValue()
                        + (outOfMemory ? ", after java.lang.OutOfMemoryError (heap " + JVM_FLAGS.get(1) + ")" : "");
                System.out.println(message);
                notes.add(message);
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            if (tempDir != null) {
                try (var files = Files.walk(tempDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }
}
