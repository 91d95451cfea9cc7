package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Measurements of the server process: open descriptors, the loop thread's CPU, open slots. */
final class ServerHealth {

    private ServerHealth() {
    }

    static long openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** What each open descriptor points at (socket:[inode], a path, ...). */
    static java.util.Map<String, String> fdTargets() {
        java.util.Map<String, String> targets = new java.util.TreeMap<>();
        String[] fds = new File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            try {
                targets.put(fd, java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)).toString());
            } catch (java.io.IOException | UnsupportedOperationException e) {
                // closed while listing (the listing's own descriptor)
            }
        }
        return targets;
    }

    /** The descriptors open now that were not in {@code before}. */
    static String newFds(java.util.Map<String, String> before) {
        java.util.Map<String, String> now = fdTargets();
        now.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        return now.toString();
    }

    /**
     * The fraction of one CPU the busiest loop thread used over {@code millis}; -1 when no loop thread is
     * found. Loop threads are named {@code ringhttp-loop-PORT}, or {@code ringhttp-loop-PORT-K} with several.
     */
    static double loopCpu(RingHttpServer server, long millis) throws InterruptedException {
        String name = "ringhttp-loop-" + server.address().getPort();
        List<Thread> loops = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) || t.getName().startsWith(name + "-")).toList();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (loops.isEmpty() || !mx.isThreadCpuTimeSupported()) {
            return -1;
        }
        long[] cpu0 = new long[loops.size()];
        for (int i = 0; i < cpu0.length; i++) {
            cpu0[i] = mx.getThreadCpuTime(loops.get(i).getId());
        }
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        long busiest = 0;
        for (int i = 0; i < cpu0.length; i++) {
            busiest = Math.max(busiest, mx.getThreadCpuTime(loops.get(i).getId()) - cpu0[i]);
        }
        return (double) busiest / (System.nanoTime() - t0);
    }

    /** Open connections as the loop sees them (its own snapshot, taken on the loop thread). */
    static int openConnections(RingHttpServer server) throws Exception {
        return server.connections().get(5, TimeUnit.SECONDS).size();
    }

    static long activeCounted(RingHttpServer server) {
        return server.counters().active(ConnectionType.HTTP) + server.counters().active(ConnectionType.WEBSOCKET);
    }

    /** Polls {@code condition} until it holds or {@code millis} pass. */
    static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Both ends of the loopback connection whose client end has local port {@code port}, as the
     * kernel sees them ({@code ss -tnoi}: state, queues, timers, window), or why that failed.
     */
    static String socketsOf(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-tnoi", "( sport = :" + port + " or dport = :" + port + " )")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return out.replaceAll("\\s+", " ").trim();
        } catch (java.io.IOException e) {
            return "ss failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
