package dev.ringhttp.core.testing;

import dev.ringhttp.core.RingHttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** How busy a server's own loop thread is, from its CPU time: an idle loop must not spin. */
public final class LoopCpu {

    private LoopCpu() {
    }

    /** The share of one core the loop thread of {@code server} used over the next {@code millis}. */
    public static double share(RingHttpServer server, long millis) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = loopThreadId(server);
        long cpu0 = threads.getThreadCpuTime(id);
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        return (double) (threads.getThreadCpuTime(id) - cpu0) / (System.nanoTime() - t0);
    }

    private static long loopThreadId(RingHttpServer server) {
        String name = "ringhttp-loop-" + server.address().getPort();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
