package dev.ringhttp.autoconfigure.route;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Runs blocking routes off the event loop, within a fixed bound: at most {@code threads} calls
 * run at once and {@code queueCapacity} more wait; a call beyond that is refused at once (the
 * route answers 503), never queued without limit, so the memory that calls in progress hold
 * stays bounded like the rest of the server.
 *
 * <p>On Java 21 and later each call runs on a virtual thread of its own, and the bound is the
 * same total: {@code threads + queueCapacity} calls at once, none waiting. Earlier, a pool of
 * {@code threads} platform threads, started as needed, takes them from a queue.
 */
public final class BlockingExecutor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BlockingExecutor.class.getName());
    private static final String THREAD_NAME = "ringhttp-blocking-";
    private static final long KEEP_ALIVE_SECONDS = 60;

    private final ExecutorService service;
    private final Semaphore permits;
    private final int capacity;
    private final boolean virtual;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param threads       calls that run at once on platform threads
     * @param queueCapacity calls that may wait for one of them
     * @throws IllegalArgumentException if {@code threads < 1} or {@code queueCapacity < 0}
     */
    public BlockingExecutor(int threads, int queueCapacity) {
        if (threads < 1) {
            throw new IllegalArgumentException("ringhttp.routes.blocking-threads must be at least 1, not " + threads);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException(
                    "ringhttp.routes.blocking-queue-capacity must not be negative, not " + queueCapacity);
        }
        this.capacity = threads + queueCapacity;
        this.permits = new Semaphore(capacity);
        ExecutorService perTask = virtualThreadPerTask();
        this.virtual = perTask != null;
        this.service = perTask != null ? perTask : platformPool(threads, queueCapacity);
    }

    private static ExecutorService platformPool(int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, THREAD_NAME + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // The permits keep the queue from ever filling: it holds what they let wait, plus nothing.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(Math.max(1, queueCapacity)), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A virtual thread per task on Java 21 and later, found reflectively: the code is compiled for Java 17. */
    private static @Nullable ExecutorService virtualThreadPerTask() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, THREAD_NAME, 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) perTask.invoke(null, factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "virtual threads unavailable (" + e + "); blocking routes run on a "
                    + "pool of platform threads");
            return null;
        }
    }

    /**
     * Runs {@code call} unless {@code threads + queueCapacity} calls are already in progress or
     * waiting; returns false (counted in {@link #refused()}) when it was not accepted.
     */
    boolean submit(Runnable call) {
        if (!permits.tryAcquire()) {
            refused.incrementAndGet();
            return false;
        }
        try {
            service.execute(() -> {
                try {
                    call.run();
                } finally {
                    permits.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            // Only after close(): the application is stopping.
            permits.release();
            refused.incrementAndGet();
            return false;
        }
    }

    /** Calls refused because the executor was full (or closed) since start. */
    public long refused() {
        return refused.get();
    }

    /** Calls running or waiting now. */
    public int inProgress() {
        return capacity - permits.availablePermits();
    }

    /** The most calls that can be running or waiting at once. */
    public int capacity() {
        return capacity;
    }

    /** Whether calls run on virtual threads (Java 21 and later). */
    public boolean virtualThreads() {
        return virtual;
    }

    /** Refuses new calls and waits up to {@code timeout} for those in progress. */
    public void close(Duration timeout) {
        service.shutdown();
        try {
            if (!service.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, inProgress() + " blocking route calls still running after "
                        + timeout.toMillis() + " ms; interrupting them");
                service.shutdownNow();
            }
        } catch (InterruptedException e) {
            service.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
