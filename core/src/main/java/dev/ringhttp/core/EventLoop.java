package dev.ringhttp.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The selector, the task queue other threads hand work through, the wake-up, the loop's clock and
 * the one check of which thread is the loop's.
 *
 * <p>Ownership: the loop thread is set explicitly, by {@link #claim()} (the first {@code poll})
 * or {@link #assign(Thread)} (the thread {@code start()} makes). {@link #checkInLoop} only checks;
 * a stray call from another thread before the loop runs is refused, never made the owner.
 *
 * <p>Tasks: a lock-free queue plus a count of tasks queued and run. A turn runs only the tasks
 * queued before it began, at most {@link #MAX_TASKS_PER_TURN}, so a task that re-queues itself
 * runs once per turn and sockets are serviced in between.
 */
final class EventLoop {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    static final int MAX_TASKS_PER_TURN = 4096;

    private final LoopCounters counters;
    private final int maxKeysPerTurn;
    private final SelectionKey[] ready;
    private final Consumer<SelectionKey> collector = this::collect;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    /** Tasks ever queued (any thread) and run (loop thread): their difference is what a turn runs. */
    private final AtomicLong tasksQueued = new AtomicLong();
    private long tasksRun;

    private volatile Selector selector;
    private volatile Thread loopThread;
    private int readyCount;
    private int roundRobinStart;
    /** Milliseconds of the monotonic clock, read once per select; timeouts are measured against it. */
    private long clock = System.nanoTime() / 1_000_000;

    /**
     * @param keys            the most keys one select can report: every connection plus the listener
     * @param maxKeysPerTurn  how many of them one turn services (0: all)
     */
    EventLoop(LoopCounters counters, int keys, int maxKeysPerTurn) {
        this.counters = counters;
        this.ready = new SelectionKey[keys];
        this.maxKeysPerTurn = maxKeysPerTurn;
    }

    Selector open() throws IOException {
        Selector s = Selector.open();
        selector = s;
        return s;
    }

    Selector selector() {
        return selector;
    }

    /** Forgets a finished run so that the loop can open anew: no owner, no selector, no tasks. */
    void reset() {
        selector = null;
        loopThread = null;
        tasks.clear();
        tasksRun = tasksQueued.get();
    }

    /** Makes {@code thread} the loop thread; {@code start()} does this before the thread runs. */
    void assign(Thread thread) {
        loopThread = thread;
    }

    /** The polling thread takes the loop, if nobody has; any other thread is refused. */
    void claim() {
        Thread current = Thread.currentThread();
        Thread owner = loopThread;
        if (owner == null) {
            loopThread = current;
        } else if (owner != current) {
            throw new IllegalStateException("poll() must always be called from the same thread ("
                    + owner.getName() + "), not from " + current.getName());
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Throws unless called on the loop thread; never makes the caller the owner. */
    void checkInLoop(String operation) {
        Thread owner = loopThread;
        Thread current = Thread.currentThread();
        if (owner != current) {
            throw new IllegalStateException(operation + " must be called on the event loop thread ("
                    + (owner == null ? "none yet: the loop is not running" : owner.getName())
                    + "), not on " + current.getName()
                    + "; hand the work over with execute(Runnable), send() or broadcast()");
        }
    }

    /** Queues {@code task} for the loop thread and wakes the loop if the caller is not it. Safe from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        tasksQueued.incrementAndGet();
        if (Thread.currentThread() != loopThread) {
            wakeup();
        }
    }

    void wakeup() {
        Selector s = selector;
        if (s != null && wakeupRequested.compareAndSet(false, true)) {
            try {
                s.wakeup();
            } catch (ClosedSelectorException ignored) {
                // The loop ended meanwhile; nothing is left to wake.
            }
        }
    }

    /**
     * Runs the tasks queued before this call, calling {@code afterEach} after each (the loop's
     * safe point). Every task is counted after it is queued, so the count read here never covers
     * a task that is not in the queue yet. What a task throws is counted and logged; the loop goes on.
     */
    void runTasks(Runnable afterEach) {
        long due = Math.min(tasksQueued.get() - tasksRun, MAX_TASKS_PER_TURN);
        for (long i = 0; i < due; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            tasksRun++;
            try {
                task.run();
            } catch (Throwable t) {
                counters.handlerError();
                LOG.log(System.Logger.Level.ERROR, "task passed to execute() failed", t);
            }
            afterEach.run();
        }
    }

    long clock() {
        return clock;
    }

    void tick() {
        clock = System.nanoTime() / 1_000_000;
    }

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for ready keys, or not at all if tasks
     * wait, and collects them; the clock is read afterwards.
     */
    void select(long timeoutMillis) {
        wakeupRequested.set(false);
        readyCount = 0;
        try {
            if (timeoutMillis <= 0 || !tasks.isEmpty()) {
                selector.selectNow(collector);
            } else {
                selector.select(collector, timeoutMillis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
        tick();
    }

    /** Deregisters what was cancelled or closed since the last select, ignoring readiness (reported again later). */
    void flushCancelled() {
        try {
            selector.selectNow(IGNORE);
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.DEBUG, "selectNow to deregister failed: " + e);
        }
    }

    private static final Consumer<SelectionKey> IGNORE = key -> { };

    private void collect(SelectionKey key) {
        ready[readyCount++] = key;
    }

    /**
     * Hands the collected keys to {@code service}: at most {@code maxKeysPerTurn}, starting where
     * the previous turn stopped. Level-triggered selection reports skipped keys again, so rotating
     * the start keeps the cap fair. Returns how many were serviced.
     */
    int serviceReady(Consumer<SelectionKey> service) {
        int n = readyCount;
        if (n == 0) {
            return 0;
        }
        int limit = maxKeysPerTurn == 0 || maxKeysPerTurn >= n ? n : maxKeysPerTurn;
        int start = roundRobinStart % n;
        roundRobinStart = start + limit;
        for (int i = 0; i < limit; i++) {
            int at = start + i;
            service.accept(ready[at >= n ? at - n : at]);
        }
        Arrays.fill(ready, 0, n, null);
        readyCount = 0;
        return limit;
    }

    boolean hasTasks() {
        return !tasks.isEmpty();
    }
}
