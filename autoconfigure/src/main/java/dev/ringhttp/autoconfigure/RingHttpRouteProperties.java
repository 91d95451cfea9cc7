package dev.ringhttp.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How {@code @HttpRoute} methods run, under {@code ringhttp.routes}: on the event loop, or, for
 * those that may block, on a bounded executor.
 */
@ConfigurationProperties("ringhttp.routes")
public class RingHttpRouteProperties {

    /**
     * Whether every route runs on the executor of blocking routes, as if marked
     * {@code @HttpRoute(blocking = true)}, except those that take the core HttpRequest,
     * HttpResponse or a ByteBuffer body, which stay on the event loop.
     */
    private boolean blocking = false;

    /** Threads that run blocking routes at once (on Java 21 and later: virtual threads, this many plus the queue). */
    private int blockingThreads = 64;

    /** Calls of blocking routes that may wait for a thread; beyond them a request is answered 503 with Retry-After. */
    private int blockingQueueCapacity = 256;

    public boolean isBlocking() {
        return blocking;
    }

    public void setBlocking(boolean blocking) {
        this.blocking = blocking;
    }

    public int getBlockingThreads() {
        return blockingThreads;
    }

    public void setBlockingThreads(int blockingThreads) {
        this.blockingThreads = blockingThreads;
    }

    public int getBlockingQueueCapacity() {
        return blockingQueueCapacity;
    }

    public void setBlockingQueueCapacity(int blockingQueueCapacity) {
        this.blockingQueueCapacity = blockingQueueCapacity;
    }
}
