package dev.ringhttp.bench.peers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The broadcaster Undertow, Jetty and Spring MVC share (Netty and WebFlux broadcast their own way): one thread
 * that stamps a message, hands it to every member through the server's own asynchronous send, and flushes after
 * each batch. A member whose backlog is full (the server says it is not writable, or
 * {@link PeerOptions#maxPending()} sends are unacknowledged) is waited for or closed, by {@link PeerOptions#policy()}.
 *
 * @param <S> the server's session type
 */
public abstract class FanOut<S> implements Runnable {

    /** Messages handed out between flushes. */
    protected static final int BATCH = 16;
    private static final long WAIT_NANOS = 20_000;

    /** One joined session and its unacknowledged sends. */
    public static final class Member<S> {
        public final S session;
        final AtomicInteger inflight = new AtomicInteger();
        volatile boolean gone;

        Member(S session) {
            this.session = session;
        }

        /** The server finished (or failed) one send. */
        public void done() {
            inflight.decrementAndGet();
        }
    }

    private final Set<Member<S>> members = ConcurrentHashMap.newKeySet();
    protected final PeerOptions options;
    private final byte[] template;

    protected FanOut(PeerOptions options) {
        this.options = options;
        this.template = options.size() > 0 ? Payload.template(options.size()) : null;
    }

    /** Starts the broadcaster thread when the options ask for messages. */
    public final void startIfWanted(String name) {
        if (options.size() > 0) {
            Thread t = new Thread(this, name + "-broadcaster");
            t.setDaemon(true);
            t.start();
        }
    }

    public final Member<S> join(S session) {
        Member<S> m = new Member<>(session);
        members.add(m);
        return m;
    }

    public final void leave(Member<S> member) {
        if (member != null) {
            member.gone = true;
            members.remove(member);
        }
    }

    /** Converts one message to what the server sends; shared by every member. */
    protected abstract Object prepare(byte[] message);

    /** Sends asynchronously; must call {@link Member#done()} when the server has written (or dropped) it. */
    protected abstract void send(Member<S> member, Object prepared);

    /** Whether the server itself says this member cannot take more now. */
    protected boolean unwritable(Member<S> member) {
        return false;
    }

    protected void flush(Member<S> member) {
    }

    /** The message has been handed to every member. */
    protected void release(Object prepared) {
    }

    protected abstract void close(Member<S> member);

    private boolean full(Member<S> m) {
        return m.inflight.get() >= options.maxPending() || unwritable(m);
    }

    @Override
    public final void run() {
        Object[] batch = new Object[BATCH];
        while (!Thread.currentThread().isInterrupted()) {
            if (members.isEmpty()) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            for (int i = 0; i < BATCH; i++) {
                batch[i] = prepare(Payload.stamped(template));
            }
            for (Member<S> m : members) {
                for (int i = 0; i < BATCH && !m.gone; i++) {
                    while (full(m) && !m.gone) {
                        if (options.policy() == PeerOptions.Policy.CLOSE) {
                            leave(m);
                            close(m);
                        } else {
                            flush(m);
                            LockSupport.parkNanos(WAIT_NANOS);
                        }
                    }
                    if (!m.gone) {
                        m.inflight.incrementAndGet();
                        send(m, batch[i]);
                    }
                }
                if (!m.gone) {
                    flush(m);
                }
            }
            for (int i = 0; i < BATCH; i++) {
                release(batch[i]);
                batch[i] = null;
            }
        }
    }
}
