package dev.ringhttp.bench;

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
 * {@code --peers a,b}, {@code --workloads http,close,ws,slow,footprint,jmh}, {@code --reps n},
 * {@code --seconds n}, {@code --policy wait|close} (what the JVM peers' broadcasters do with a full client).
 */
public final class Harness {

    /** Every JVM peer gets exactly these: fixed heap, G1 (the JDK's default collector, what most servers run). */
    static final List<String> JVM_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
    static final int PORT = 18080;

    private final Path root;
    private final Path results;
    private final boolean quick;
    private final int reps;
    private final int seconds;
    private final int warmupSeconds;
    private final String policy;
    private final Set<String> workloads;
    private final List<Peer> peers;
    private final Results table = new Results();
    private final List<String> notes = new ArrayList<>();
    private final boolean taskset = new java.io.File("/usr/bin/taskset").canExecute() && cpus() >= 2;

    record Peer(String name, String mainClass, String classpath, boolean websocket) {
    }

    Harness(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                opts.put("quick", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            }
        }
        this.quick = opts.containsKey("quick");
        this.root = Path.of(opts.getOrDefault("root", "benchmarks")).toAbsolutePath();
        this.results = root.resolve("results");
        this.reps = Integer.parseInt(opts.getOrDefault("reps", quick ? "1" : "3"));
        this.seconds = Integer.parseInt(opts.getOrDefault("seconds", quick ? "1" : "5"));
        this.warmupSeconds = quick ? 1 : 3;
        this.policy = opts.getOrDefault("policy", "wait");
        this.workloads = Set.of(opts.getOrDefault("workloads", "http,close,ws,slow,footprint,jmh").split(","));
        Path cpDir = root.resolve("target/classpath");
        String classes = root.resolve("target/classes").toString();
        String main = classes + ":" + Files.readString(cpDir.resolve("main.txt")).trim();
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
        String only = opts.get("peers");
        if (only != null) {
            List<String> names = Arrays.asList(only.split(","));
            all.removeIf(p -> !names.contains(p.name()));
        }
        this.peers = all;
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
            notes.add("taskset unavailable or fewer than 2 CPUs: server and load generators were not pinned.");
        }
        for (Peer peer : peers) {
            if (workloads.contains("http") || workloads.contains("close")) {
                runHttp(peer);
            }
            if (peer.websocket() && workloads.contains("ws")) {
                runFanOut(peer);
            }
            if (peer.websocket() && workloads.contains("slow")) {
                runSlow(peer);
            }
            if (peer.websocket() && workloads.contains("footprint")) {
                runFootprint(peer);
            }
        }
        if (workloads.contains("jmh")) {
            Jmh.run(root, results, quick, taskset, table, notes);
        }
        write();
    }

    // ---- workloads ----

    private void runHttp(Peer peer) throws Exception {
        try (PeerProcess p = PeerProcess.start(peer, 0, false, policy, taskset, results)) {
            notes.add(peer.name() + " answers GET /hello with:\n```\n" + p.helloResponse() + "\n```");
            int[] connections = quick ? new int[] {64} : new int[] {64, 256};
            if (workloads.contains("http")) {
                for (int c : connections) {
                    wrk(p, c, warmupSeconds, false); // warm-up, discarded
                    for (int r = 0; r < reps; r++) {
                        Wrk w = wrk(p, c, seconds, false);
                        String wl = "HTTP keep-alive, " + c + " connections";
                        table.add(wl, "requests/s", "req/s", true, peer.name(), w.rps);
                        table.add(wl, "p99 latency", "ms", false, peer.name(), w.p99Millis);
                    }
                }
            }
            if (workloads.contains("close")) {
                wrk(p, 64, warmupSeconds, true);
                for (int r = 0; r < reps; r++) {
                    Wrk w = wrk(p, 64, seconds, true);
                    table.add("HTTP connection per request (Connection: close), 64 connections", "requests/s", "req/s",
                            true, peer.name(), w.rps);
                    if (w.errors > 0) {
                        table.row("HTTP connection per request (Connection: close), 64 connections", "requests/s",
                                "req/s", true, peer.name()).note = "wrk socket errors: " + w.errors;
                    }
                }
            }
        }
    }

    private void runFanOut(Peer peer) throws Exception {
        int[] clients = quick ? new int[] {100} : new int[] {100, 1000};
        int[] sizes = quick ? new int[] {64} : new int[] {64, 1024};
        boolean[] zstdModes = peer.name().equals("ringhttp") && !quick ? new boolean[] {false, true} : new boolean[] {false};
        for (boolean zstd : zstdModes) {
            for (int size : sizes) {
                if (zstd && size < 200) {
                    continue; // ringhttp compresses messages over 200 bytes only
                }
                try (PeerProcess p = PeerProcess.start(peer, size, zstd, policy, taskset, results)) {
                    for (int n : clients) {
                        String wl = "WebSocket broadcast, " + n + " clients, " + size + " B messages" + (zstd ? ", zstd" : "");
                        String who = peer.name();
                        try (WsLoadClient client = new WsLoadClient(p.address(), "/ws", n, 0, zstd, 1, 64 * 1024)) {
                            int open = client.awaitOpen(30_000);
                            if (open < n) {
                                table.row(wl, "messages/s delivered", "msg/s", true, who).note = "only " + open + " of " + n + " connected";
                            }
                            for (int r = 0; r < reps; r++) {
                                WsLoadClient.Result res = client.measure(r == 0 ? warmupSeconds * 1000L : 0, seconds * 1000L);
                                table.add(wl, "messages/s delivered", "msg/s", true, who, res.messagesPerSecond());
                                table.add(wl, "p99 delivery latency", "ms", false, who, res.p99Micros() / 1000.0);
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

    private void runSlow(Peer peer) throws Exception {
        int readers = quick ? 200 : 1000;
        int stalled = 10;
        int duration = quick ? 4 : 10;
        String wl = "Slow consumers: " + readers + " readers + " + stalled + " that stop reading, 64 B messages, " + duration + " s";
        String flags = "";
        for (int r = 0; r < reps; r++) {
            try (PeerProcess p = PeerProcess.start(peer, 64, false, policy, taskset, results);
                    WsLoadClient client = new WsLoadClient(p.address(), "/ws", readers, stalled, false, 1, 64 * 1024)) {
                client.awaitOpen(30_000);
                long rss0 = p.rssKiB();
                List<long[]> samples = new ArrayList<>(); // second, rss KiB, heap used KiB, delivered that second
                long[] before = client.perSecond();
                long deliveredFirst = 0;
                long deliveredLast = 0;
                long maxRss = 0;
                long maxHeap = 0;
                for (int s = 0; s < duration; s++) {
                    Thread.sleep(1000);
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
                WsLoadClient.Result end = client.measure(0, 500);
                double lastHalf = deliveredLast / (double) (duration - duration / 2);
                table.add(wl, "readers' delivered rate, last half", "msg/s", true, peer.name(), lastHalf);
                table.add(wl, "RSS growth", "MiB", false, peer.name(), (maxRss - rss0) / 1024.0);
                table.add(wl, "max heap used", "MiB", false, peer.name(), maxHeap / 1024.0);
                flags = "stalled clients closed by server: " + end.stalledCloses() + "/" + stalled
                        + ", readers closed: " + end.readerCloses() + ", first half " + deliveredFirst / (duration / 2) + " msg/s";
                table.row(wl, "readers' delivered rate, last half", "msg/s", true, peer.name()).note = flags;
                if (r == 0) {
                    StringBuilder series = new StringBuilder(peer.name() + " slow-consumer series (s, RSS KiB, heap KiB, delivered/s): ");
                    for (long[] x : samples) {
                        series.append(Arrays.toString(x)).append(' ');
                    }
                    notes.add(series.toString());
                }
            }
        }
    }

    private void runFootprint(Peer peer) throws Exception {
        int n = quick ? 2000 : 10_000;
        String wl = "Footprint: " + n + " idle WebSocket connections";
        for (int r = 0; r < reps; r++) {
            try (PeerProcess p = PeerProcess.start(peer, 0, false, policy, taskset, results)) {
                Thread.sleep(500);
                long idle = p.rssKiB();
                try (WsLoadClient client = new WsLoadClient(p.address(), "/ws", n, 0, false, 1, 1024)) {
                    int open = client.awaitOpen(60_000);
                    Thread.sleep(2000);
                    long rss = p.rssKiB();
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

    // ---- wrk ----

    record Wrk(double rps, double p99Millis, long errors) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk wrk(PeerProcess p, int connections, int durationSeconds, boolean close) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (taskset) {
            cmd.addAll(List.of("taskset", "-c", "0"));
        }
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + durationSeconds + "s", "--latency"));
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
                : "full (" + reps + " repetitions of " + seconds + " s after " + warmupSeconds + " s warm-up)");
        machine.put("CPU", cpuModel() + ", " + cpus() + " CPUs");
        machine.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("peer JVM flags", String.join(" ", JVM_FLAGS));
        machine.put("pinning", taskset ? "server on CPU 1, load generators (wrk, WebSocket client, this harness) on CPU 0" : "none");
        machine.put("broadcaster policy for full clients (JVM peers)", policy);
        String md = Report.markdown(table, machine, notes);
        Files.writeString(results.resolve("latest.md"), md);
        Report.chart(table, results.resolve("latest.png"));
        System.out.println(md);
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

        private PeerProcess(Process process, int port, Path tempDir) {
            this.process = process;
            this.port = port;
            this.tempDir = tempDir;
        }

        static PeerProcess start(Peer peer, int size, boolean zstd, String policy, boolean taskset, Path results)
                throws Exception {
            int port = PORT;
            List<String> cmd = new ArrayList<>();
            if (taskset) {
                cmd.addAll(List.of("taskset", "-c", "1"));
            }
            Path temp = null;
            if (peer.mainClass() == null) {
                temp = Files.createTempDirectory("ringhttp-nginx");
                Files.createDirectories(temp.resolve("logs"));
                String conf = Files.readString(Path.of("benchmarks/nginx.conf")).replace("@PORT@", Integer.toString(port));
                Files.writeString(temp.resolve("nginx.conf"), conf);
                cmd.addAll(List.of(nginx(), "-p", temp.toString(), "-c", temp.resolve("nginx.conf").toString(),
                        "-g", "daemon off;"));
            } else {
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(JVM_FLAGS);
                cmd.addAll(List.of("-Dbench.port=" + port, "-Dbench.size=" + size, "-Dbench.policy=" + policy,
                        "-Dbench.compress=" + zstd, "-cp", peer.classpath(), peer.mainClass()));
            }
            Path logs = Files.createDirectories(results.resolve("logs"));
            Path log = logs.resolve(peer.name() + ".log");
            System.out.printf("[%tT] %s size=%d zstd=%b%n", System.currentTimeMillis(), peer.name(), size, zstd);
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            PeerProcess p = new PeerProcess(process, port, temp);
            Thread pump = new Thread(() -> pump(process.getInputStream(), log), peer.name() + "-log");
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

        private static String nginx() {
            return new java.io.File("/usr/sbin/nginx").canExecute() ? "/usr/sbin/nginx" : "nginx";
        }

        private static void pump(InputStream in, Path log) {
            try (OutputStream out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                in.transferTo(out);
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

        /** Java heap in use, from {@code jstat -gc} (survivors + eden + old), KiB; -1 for nginx or on failure. */
        long heapUsedKiB() {
            try {
                Process jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(),
                        "-gc", Long.toString(process.pid())).redirectErrorStream(true).start();
                List<String> lines = new BufferedReader(new InputStreamReader(jstat.getInputStream())).lines().toList();
                jstat.waitFor(5, TimeUnit.SECONDS);
                if (lines.size() < 2) {
                    return -1;
                }
                List<String> head = Arrays.asList(lines.get(0).trim().split("\\s+"));
                String[] v = lines.get(1).trim().split("\\s+");
                double sum = 0;
                for (String col : List.of("S0U", "S1U", "EU", "OU")) {
                    sum += Double.parseDouble(v[head.indexOf(col)]);
                }
                return (long) sum;
            } catch (Exception e) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
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
