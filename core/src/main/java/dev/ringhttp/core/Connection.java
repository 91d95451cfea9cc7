package dev.ringhttp.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What HTTP and WebSocket slots share: the socket and its selection key, the interest set, the
 * generation that tells one tenant of a slot from the next, and reading into the slot's buffer.
 * Allocated once per slot; a connection opens and closes many times over the server's life.
 *
 * <p>Invariant: {@link #channel} is set exactly while the slot is open; {@link #key} too, except
 * during the turn that accepted the socket, which registers it with the selector only if the
 * connection outlives that turn ({@link ConnectionTable#admit}). Until then {@link #interest} is
 * only remembered, and registration applies it. Only the {@link ConnectionTable close path} ends a
 * tenancy ({@link #endTenancy}), so a handle taken before it never matches afterwards.
 */
abstract class Connection {

    /** What {@link #readInto} returns after a read failed and the connection was closed for it. */
    static final int READ_FAILED = -2;
    /** What {@link #readInto} returns at the end of the stream. */
    static final int END_OF_STREAM = -1;

    /** The slot's index in its loop's pool. */
    final int id;
    /** The id handlers see: unique in the server, across loops ({@link LoopShares}). */
    final int serverId;
    /** The loop that owns the slot. */
    final int loop;
    final ConnectionType type;
    protected final ConnectionTable table;
    protected final LoopCounters counters;
    protected final Timeouts timeouts;
    private final ByteBuffer drainBuffer;
    private final int drainReads;
    /** Starts at 1, so that a bare id (generation 0) is never taken for a handle. */
    private int generation = 1;
    protected SocketChannel channel;
    protected SelectionKey key;
    private int interest;
    /** Whether this tenant's socket has its options ({@link #tune}); they stay with the socket across an upgrade. */
    private boolean tuned;
    private long openedAtNanos;
    /** Set while lingering: the reason the connection closes with once the peer is done or time runs out. */
    private CloseReason lingerReason;

    /**
     * @param drainBuffer  where input read only to be dropped lands (the slot's own receive buffer)
     * @param drainReads   reads per readiness event spent on such input, so that a peer that
     *                     never stops sending costs a bounded amount of work each time
     */
    Connection(int id, ConnectionType type, ConnectionTable table, Timeouts timeouts, LoopCounters counters,
            ByteBuffer drainBuffer, int drainReads) {
        this.id = id;
        this.serverId = table.serverId(type, id);
        this.loop = table.loop();
        this.type = type;
        this.table = table;
        this.timeouts = timeouts;
        this.counters = counters;
        this.drainBuffer = drainBuffer;
        this.drainReads = drainReads;
    }

    abstract boolean isOpen();

    /** Reacts to the selector's readiness {@code readyOps}; the loop calls it for open slots only. */
    abstract void onReady(int readyOps);

    /** Forgets per-tenant state after the socket was closed or moved; called by the close path only. */
    abstract void release();

    /** Reads, bounded, what the peer still sends, so that closing does not reset away the last words. */
    final void drainInput() {
        if (mayStillSend()) {
            InputDiscard.discard(channel, drainBuffer, drainReads);
        }
    }

    /**
     * Whether the peer may have sent bytes this slot has not read; false spares the drain's read
     * when the peer said it sends nothing more.
     */
    boolean mayStillSend() {
        return true;
    }

    /**
     * After the server's last words (an error status, a close frame not answering the peer's):
     * shuts our side down and reads, discarding, until the peer closes too, or for at most
     * {@link Deadlines#LINGER_MILLIS}; then closes with {@code reason}. Closing at once, with the
     * peer's bytes unread, would make the kernel reset the connection under the words it has yet
     * to read (RFC 6455 section 7.1.1; RFC 9112 section 9.6).
     */
    protected final void linger(CloseReason reason) {
        lingerReason = reason;
        if (halfClose()) {
            timeouts.start(this, Deadlines.LINGER);
        } else {
            table.close(this, reason);
        }
    }

    /** Reads and drops what a lingering peer sends, bounded per event; its end of stream (or an error) ends it. */
    protected final void discardWhileLingering() {
        if (InputDiscard.discard(channel, drainBuffer, drainReads) == InputDiscard.ENDED) {
            table.close(this, lingerReason);
        }
    }

    /** The linger time ran out: close now, whatever the peer still sends. */
    final void endLinger() {
        if (lingerReason != null && isOpen()) {
            table.close(this, lingerReason);
        }
    }

    private boolean halfClose() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            return false;
        }
        setInterest(SelectionKey.OP_READ);
        return true;
    }

    /** The slot's state; each kind of connection has its own state machine. */
    abstract Enum<?> state();

    /** Name of the current state, for monitoring. */
    final String stateName() {
        return state().name();
    }

    /** Bytes still to write, for monitoring. */
    abstract long pendingBytes();

    /**
     * The slot's whole state in one line, for diagnosing a connection that seems stuck: the state
     * machine's own fields plus the socket's ({@link #describeSocket}). Loop thread; allocates.
     */
    abstract String describe();

    /** The interest this slot believes it set, the key's actual interest and readiness, and the channel's. */
    final String describeSocket() {
        SelectionKey k = key;
        String keyState = k == null ? "none" : !k.isValid() ? "cancelled"
                : "ops=" + k.interestOps() + " ready=" + k.readyOps();
        return "generation=" + generation + " interest=" + interest + " key[" + keyState + "] channel="
                + (channel == null ? "none" : channel.isOpen() ? "open" : "closed") + " lingering="
                + (lingerReason != null);
    }

    /** Generation, loop and server-wide id ({@link Handles}): names this tenant of the slot and no later one. */
    final long handle() {
        return Handles.of(generation, loop, serverId);
    }

    final boolean matches(long handle) {
        return isOpen() && handle() == handle;
    }

    /** The generation of the current tenant: compared after application code runs, to see whether it closed us. */
    final int generation() {
        return generation;
    }

    final SocketChannel channel() {
        return channel;
    }

    final SelectionKey key() {
        return key;
    }

    final long openedAtNanos() {
        return openedAtNanos;
    }

    /** Takes the socket; the interest becomes {@code ops}. {@code key} is null before registration. */
    protected final void attach(SocketChannel channel, SelectionKey key, int ops, boolean tuned) {
        this.channel = channel;
        this.key = key;
        this.tuned = tuned;
        this.openedAtNanos = System.nanoTime();
        this.interest = ops;
        this.lingerReason = null;
        if (key != null) {
            key.interestOps(ops);
        }
    }

    /**
     * Gives the socket the options a connection needs once it writes more than once:
     * {@code TCP_NODELAY}, because a later write can follow bytes not yet acknowledged, which
     * Nagle's algorithm would hold back until they are, and the configured send buffer, which bounds
     * what the kernel keeps for it. A connection that writes one response and closes needs neither:
     * Nagle's algorithm holds back nothing of an idle connection's first write, and the kernel's
     * initial send buffer grows only as acknowledgements come. Returns false after closing the
     * connection if the socket was already reset.
     */
    protected final boolean tune() {
        if (tuned) {
            return true;
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, table.socketSendBuffer());
        } catch (IOException e) {
            table.close(this, CloseReason.PEER_RESET);
            return false;
        }
        tuned = true;
        return true;
    }

    final boolean tuned() {
        return tuned;
    }

    /** The interest the slot wants from the selector: what {@link ConnectionTable#register} registers. */
    final int interest() {
        return interest;
    }

    /** The socket is now registered under {@code key}, with {@link #interest()}. */
    final void registered(SelectionKey key) {
        this.key = key;
    }

    /** Ends this tenancy: every handle taken so far stops matching. */
    protected final void endTenancy() {
        generation = Handles.next(generation);
        channel = null;
        key = null;
    }

    protected final void setInterest(int ops) {
        if (channel != null && ops != interest) {
            interest = ops;
            if (key != null) {
                key.interestOps(ops);
            }
        }
    }

    /**
     * Reads what the socket has into {@code buffer} from {@code from} to its capacity. Returns
     * the bytes read, {@link #END_OF_STREAM}, or {@link #READ_FAILED} once the connection has been
     * closed as {@link CloseReason#PEER_RESET} (the only thing a failed read can mean).
     */
    protected final int readInto(ByteBuffer buffer, int from) {
        int n;
        try {
            buffer.limit(buffer.capacity()).position(from);
            n = channel.read(buffer);
        } catch (IOException e) {
            table.close(this, CloseReason.PEER_RESET);
            return READ_FAILED;
        }
        if (n > 0) {
            counters.bytesRead(n);
        }
        return n;
    }
}
