package dev.ringhttp.core;

import dev.ringhttp.core.ring.OutgoingRing;
import java.nio.ByteBuffer;

/**
 * The zero-copy path into the outgoing ring, for code running on the event
 * loop (handlers, or tasks passed to {@link RingHttpServer#execute}). Stage
 * a message piece by piece, then hand it off once: as an HTTP body
 * ({@link HttpResponse#stagedBody()}), to one WebSocket ({@link #sendTo}) or
 * to many ({@link #broadcast}). A broadcast stores the message once, however
 * many connections receive it.
 *
 * <p>Staging may overwrite ring bytes that slow connections have not sent
 * yet; those connections are closed first ({@link CloseReason#TOO_SLOW},
 * {@link CloseReason#WS_CLIENT_TOO_SLOW}); their {@code onClose} callbacks
 * run when the handler or task that staged returns, never in the middle of
 * its staging, so a callback may stage and hand off messages of its own. A message larger than the ring puts the
 * stage in an error state: further staging is ignored and the next hand-off
 * fails and clears it. Bytes staged but never handed off are dropped when the
 * handler or task that staged them returns or throws.
 *
 * <p>Every method throws {@link IllegalStateException} when called off the
 * event loop thread; other threads use {@link RingHttpServer#send} and
 * {@link RingHttpServer#broadcast}, which copy and hand over.
 *
 * <p>With several event loops, each has its own staging, into its own ring. A broadcast reaches
 * the clients of every loop: this loop's at once, the others' through a copy of the message
 * handed to each of them (so it allocates, where one loop does not). A send to a WebSocket of
 * another loop travels the same way.
 */
public final class Staging {

    /** Channel value meaning every WebSocket connection. */
    public static final int ALL_CHANNELS = -1;

    private final EventLoop loop;
    private final Outbox outbox;
    private final OutgoingRing ring;
    private final ConnectionTable table;
    private final int loopIndex;
    /** The other loops; null when the server has one. */
    private final LoopPeers peers;

    Staging(EventLoop loop, Outbox outbox, ConnectionTable table, int loopIndex, LoopPeers peers) {
        this.loop = loop;
        this.outbox = outbox;
        this.ring = outbox.ring();
        this.table = table;
        this.loopIndex = loopIndex;
        this.peers = peers;
    }

    private OutgoingRing ring(String operation) {
        loop.checkInLoop(operation);
        return ring;
    }

    /** Throws unless called on the loop thread, naming {@code operation}. */
    void checkInLoop(String operation) {
        loop.checkInLoop(operation);
    }

    public Staging bytes(byte[] src) {
        ring("Staging.bytes").stage(src);
        return this;
    }

    public Staging bytes(byte[] src, int offset, int length) {
        ring("Staging.bytes").stage(src, offset, length);
        return this;
    }

    /** Stages the remaining bytes of {@code src}, consuming them. */
    public Staging bytes(ByteBuffer src) {
        ring("Staging.bytes").stage(src);
        return this;
    }

    /** One byte per char; chars outside ASCII become '?'. */
    public Staging ascii(CharSequence text) {
        ring("Staging.ascii").stageAscii(text);
        return this;
    }

    /** UTF-8 without allocating. */
    public Staging utf8(CharSequence text) {
        ring("Staging.utf8").stageUtf8(text);
        return this;
    }

    /** The decimal digits of {@code value}, without allocating. */
    public Staging decimal(long value) {
        ring("Staging.decimal").stageDecimal(value);
        return this;
    }

    /** {@link String#format} into the stage. Allocates: not for hot paths. */
    public Staging format(String format, Object... args) {
        ring("Staging.format").stageFormat(format, args);
        return this;
    }

    /**
     * Reserves {@code n} bytes in place: write into the returned view (from
     * its position, at most {@code n} bytes), then {@link #commit}. The view
     * is valid until the next staging call.
     */
    public ByteBuffer reserve(int n) {
        return ring("Staging.reserve").reserve(n);
    }

    /** Keeps {@code written} bytes of the last reservation. */
    public Staging commit(int written) {
        ring("Staging.commit").commit(written);
        return this;
    }

    /** Drops the staged bytes (and a pending error) without evicting anyone. */
    public Staging unstage() {
        ring("Staging.unstage").unstage();
        return this;
    }

    /** Shortens the staged message to {@code length} bytes. */
    public Staging truncate(int length) {
        ring("Staging.truncate").truncate(length);
        return this;
    }

    /** Bytes staged so far in the current message. */
    public int length() {
        return ring("Staging.length").stageLength();
    }

    /** Whether the current message outgrew the ring. */
    public boolean inError() {
        return ring("Staging.inError").inError();
    }

    /**
     * Hands the staged message to WebSocket {@code wsId} as one text or
     * binary message. Returns false if the stage was in error or the
     * connection is not open (the message is dropped either way).
     */
    public boolean sendTo(int wsId, boolean text) {
        loop.checkInLoop("Staging.sendTo");
        int slot = table.wsSlot(wsId);
        if (slot >= 0 || peers == null) {
            return outbox.sendTo(slot, text);
        }
        byte[] copy = ring.copyStage();
        ring.unstage();
        if (copy == null) {
            return false;
        }
        peers.sendTo(wsId, copy, text);
        return true;
    }

    /** Hands the staged message to every open WebSocket. */
    public boolean broadcast(boolean text) {
        return broadcast(ALL_CHANNELS, text);
    }

    /** Hands the staged message to every open WebSocket of {@code channel} ({@link #ALL_CHANNELS} for all). */
    public boolean broadcast(int channel, boolean text) {
        loop.checkInLoop("Staging.broadcast");
        if (peers == null) {
            return outbox.broadcast(channel, text, true);
        }
        byte[] copy = ring.copyStage();
        boolean handedOff = outbox.broadcast(channel, text, true);
        if (copy != null) {
            peers.broadcast(loopIndex, channel, copy, text);
        }
        return handedOff;
    }
}
