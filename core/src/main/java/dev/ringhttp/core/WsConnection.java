package dev.ringhttp.core;

import dev.ringhttp.core.ws.FrameDecoder;
import dev.ringhttp.core.ws.FrameSink;
import dev.ringhttp.core.ws.MessageInflater;
import dev.ringhttp.core.ws.CloseFrames;
import dev.ringhttp.core.ws.ServerFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One slot of the WebSocket pool: receive buffer, frame decoder, outgoing
 * frame queue and control-frame area, allocated once.
 *
 * <p>States: {@code FREE} (no socket); {@code OPEN} (reading frames, queueing
 * and writing messages); {@code CLOSING} (a close frame is queued: nothing
 * more is read or queued; the queued frames are written (after a clean close)
 * or only the one being written is finished (after a failure), then the close
 * frame, then the socket closes with {@link #closingReason}); {@code LINGERING}
 * (the server's close frame is out and its side shut down, not as a reply to
 * the client's close: what the client still sends is read and discarded until
 * it closes too, or for at most {@link Deadlines#LINGER_MILLIS}, so that
 * closing never resets the connection under the close frame the client has
 * yet to read).
 *
 * <p>The outgoing queue is a circular array of (ring offset, length, opcode)
 * entries; several entries point at the same ring bytes after a broadcast.
 * The connection is in the server's eviction order exactly while the queue
 * is not empty, keyed by the ring offset of the head entry, which is the
 * oldest because entries are queued in staging order. {@link #headWritten}
 * counts the bytes of the head frame (header and payload) already on the
 * socket; frame headers are not stored but re-derived from the entry.
 *
 * <p>Control frames live in the small control area, not in the ring, and
 * are written only at a frame boundary, never inside a data frame: one slot
 * for the next ping or pong, one for the close frame. Every ping is answered
 * (clients that time each ping wait for each pong): the pong takes the
 * control slot when it is free, or holds a keep-alive ping of the server not
 * yet started (the client just proved it is alive), and goes out ahead of
 * queued messages; otherwise it is queued behind them like a message, through
 * the ring, while the frame queue has room. Pongs keep the pings' order: while
 * a pong waits in the queue, later ones queue behind it too. A ping that finds the queue full
 * goes unanswered, as RFC 6455 §5.5.3 allows, rather than closing the client.
 *
 * <p>Silence is timed by the server ({@link Deadlines}): every read restarts
 * the connection's clock; after half the idle timeout the server pings, and
 * a client still silent at the end is closed.
 */
final class WsConnection extends Connection implements FrameSink {

    enum State { FREE, OPEN, CLOSING, LINGERING }

    /** Which frame, if any, has been partly written and must be finished before anything else. */
    private enum Partial { NONE, DATA, CONTROL, CLOSE }

    private static final int CONTROL_FRAME_MAX = ServerConfig.WS_CONTROL_BUFFER_SIZE / 2;
    /** Reads made to drain a client after our close frame; each takes up to a receive buffer. */
    private static final int DRAIN_READS = 16;

    private final WebSocketHandler handler;
    private final SafePoint safePoint;
    private final Outbox outbox;
    private final WriteScratch scratch;
    /** The loop's inflater for permessage-deflate messages; null when the server does not accept it. */
    private final MessageInflater inflater;
    private final ByteBuffer receiveBuffer;
    private final ByteBuffer messageView;
    private final FrameDecoder decoder;
    private final ByteBuffer controlFrame;
    private final ByteBuffer closeFrame;
    private final long[] queueOffset;
    private final int[] queueLength;
    private final byte[] queueOpcode;

    private State state = State.FREE;
    private int channelId;
    private boolean compress;
    /** Whether it gets permessage-deflate copies of messages: agreed, and zstd not agreed too. */
    private boolean deflates;
    private int filled;
    private int head;
    private int count;
    private int headWritten;
    private Partial partial = Partial.NONE;
    private boolean controlPending;
    /** What the pending control frame is: our pong to the client's ping, or our keep-alive ping. */
    private boolean controlIsPong;
    /** Pongs in the frame queue: while there are any, a later pong queues too, never overtaking them. */
    private int queuedPongs;
    private boolean closePending;
    private CloseReason closingReason;
    private boolean dirty;

    WsConnection(int id, ServerConfig config, ByteBuffer receiveBuffer, ByteBuffer control, WebSocketHandler handler,
            SafePoint safePoint, ConnectionTable table, Outbox outbox, Timeouts timeouts, WriteScratch scratch,
            MessageInflater inflater, LoopCounters counters) {
        super(id, ConnectionType.WEBSOCKET, table, timeouts, counters, receiveBuffer, DRAIN_READS);
        this.handler = handler;
        this.safePoint = safePoint;
        this.outbox = outbox;
        this.scratch = scratch;
        this.inflater = inflater;
        this.receiveBuffer = receiveBuffer;
        this.messageView = receiveBuffer.asReadOnlyBuffer();
        this.decoder = new FrameDecoder(config.maxWsMessageLength());
        this.controlFrame = control.slice(0, CONTROL_FRAME_MAX);
        this.closeFrame = control.slice(CONTROL_FRAME_MAX, CONTROL_FRAME_MAX);
        this.queueOffset = new long[config.maxWsSendFrames()];
        this.queueLength = new int[config.maxWsSendFrames()];
        this.queueOpcode = new byte[config.maxWsSendFrames()];
    }

    @Override
    boolean isOpen() {
        return state != State.FREE;
    }

    @Override
    State state() {
        return state;
    }

    int channelId() {
        return channelId;
    }

    boolean compress() {
        return compress;
    }

    boolean deflates() {
        return deflates;
    }

    /**
     * @param compress whether the client agreed to zstd (it gets compressed copies of text messages)
     * @param deflate  whether permessage-deflate was agreed: the client may send compressed
     *                 messages, and gets deflated copies of messages unless it agreed to zstd too
     * @param tuned    whether the socket has its options already ({@link #tune}); the HTTP side sets
     *                 them before writing the 101, since frames follow it
     */
    void open(SocketChannel channel, SelectionKey key, int channelId, boolean compress, boolean deflate,
            boolean tuned) {
        this.channelId = channelId;
        this.compress = compress;
        this.deflates = deflate && !compress;
        this.state = State.OPEN;
        this.filled = 0;
        this.head = 0;
        this.count = 0;
        this.queuedPongs = 0;
        this.headWritten = 0;
        this.partial = Partial.NONE;
        this.controlPending = false;
        this.closePending = false;
        this.closingReason = null;
        decoder.reset(deflate && inflater != null);
        attach(channel, key, SelectionKey.OP_READ, tuned);
        timeouts.start(this, Deadlines.WS_PING);
    }

    @Override
    void release() {
        timeouts.stop(this);
        state = State.FREE;
        endTenancy();
        count = 0;
        queuedPongs = 0;
    }

    @Override
    void onReady(int readyOps) {
        if (state == State.LINGERING) {
            discardWhileLingering();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
            read();
        }
    }

    // ---- receiving ----

    private void read() {
        int n = readInto(receiveBuffer, filled);
        if (n == READ_FAILED) {
            return;
        }
        if (n == END_OF_STREAM) {
            table.close(this, CloseReason.UNEXPECTED_EOF);
            return;
        }
        filled += n;
        timeouts.start(this, Deadlines.WS_PING);
        int expected = generation();
        CloseReason error = decoder.decode(receiveBuffer, filled, this);
        if (generation() != expected || state == State.FREE) {
            return;
        }
        filled = decoder.filled();
        if (error != null) {
            fail(error);
        }
    }

    private boolean stillOpen(int expectedGeneration) {
        return generation() == expectedGeneration && state == State.OPEN;
    }

    @Override
    public boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text) {
        counters.framesRead(decoder.messageFrames());
        counters.messagesRead(1);
        int expected = generation();
        messageView.limit(offset + length).position(offset);
        ByteBuffer message = decoder.messageCompressed() ? inflate(messageView, text) : messageView;
        if (message == null) {
            return false;
        }
        try {
            handler.onMessage(serverId, message, text);
        } catch (Throwable t) {
            SafePoint.handlerFailed(counters, t, "WebSocket handler for connection " + serverId);
            safePoint.settle();
            if (stillOpen(expected)) {
                fail(CloseReason.HANDLER_ERROR);
            }
            return false;
        }
        // The next message of the same read must find the stage empty, as every handler does.
        safePoint.settle();
        return stillOpen(expected);
    }

    /**
     * The inflated message, or null after failing the connection: 1009 for a message that inflates
     * past the limit, 1007 for bytes that do not inflate or text that is not UTF-8 once inflated.
     */
    private ByteBuffer inflate(ByteBuffer compressed, boolean text) {
        int length = inflater.inflate(compressed, text);
        switch (length) {
            case MessageInflater.TOO_LARGE -> fail(CloseReason.WS_OVERSIZE_FRAME);
            case MessageInflater.BAD_DATA -> fail(CloseReason.WS_BAD_COMPRESSED_DATA);
            case MessageInflater.BAD_TEXT -> fail(CloseReason.WS_INVALID_UTF8);
            default -> {
                return inflater.inflated(length);
            }
        }
        return null;
    }

    @Override
    public boolean onPing(ByteBuffer buffer, int offset, int length) {
        counters.framesRead(1);
        boolean slotTakesPong = queuedPongs == 0 && (!controlPending || (!controlIsPong && partial != Partial.CONTROL));
        if (slotTakesPong) {
            controlFrame.clear();
            int n = ServerFrames.writePong(controlFrame, 0, buffer, offset, length);
            controlFrame.limit(n).position(0);
            controlPending = true;
            controlIsPong = true;
            markDirty();
            return true;
        }
        int expected = generation();
        outbox.queuePong(this, buffer, offset, length);
        // Staging the pong may have evicted this very connection to make room in the ring.
        return stillOpen(expected);
    }

    /** Whether one more frame fits in the outgoing queue without closing the client as too slow. */
    boolean hasQueueRoom() {
        return state == State.OPEN && count < queueOffset.length;
    }

    /** Sends a keep-alive ping with an empty payload, unless a ping or pong is already on its way. */
    void ping() {
        if (state == State.OPEN && !controlPending) {
            controlFrame.clear();
            int n = ServerFrames.writePing(controlFrame, 0);
            controlFrame.limit(n).position(0);
            controlPending = true;
            controlIsPong = false;
            markDirty();
        }
    }

    @Override
    public boolean onPong(ByteBuffer buffer, int offset, int length) {
        counters.framesRead(1);
        return true;
    }

    @Override
    public void onClose(int code, ByteBuffer buffer, int reasonOffset, int reasonLength) {
        counters.framesRead(1);
        // RFC 6455 §5.5.1: answer with a close frame, echoing the status code received.
        int reply = code == CloseFrames.NO_STATUS_CODE ? CloseFrames.NORMAL : code;
        startClose(CloseReason.OK, reply);
    }

    /** Fails the connection: a close frame with the reason's code when it has one, else an immediate close. */
    void fail(CloseReason reason) {
        if (reason.wsCloseCode() != 0) {
            startClose(reason, reason.wsCloseCode());
        } else {
            table.close(this, reason);
        }
    }

    /** Queues a close frame; the socket closes once it is written. */
    void startClose(CloseReason reason, int code) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closingReason = reason;
        // No data frame after a close frame. The messages already handed off go out first, as a
        // client still reads until it gets the close frame: after a clean close (the client's close
        // handshake, the application's close, shutdown) and after a protocol error too, so that a
        // client whose valid message was followed by a bad frame in the same read still gets the
        // echo before the close (Autobahn 3.2, 4.1.3: "Echo for first message is received, but
        // then connection is failed"). They stay in the eviction order, so a client that does not
        // read them is still closed as too slow. Only after an internal error is the queue
        // suspect: then just a frame already half written is finished.
        if (reason == CloseReason.INTERNAL_ERROR) {
            count = partial == Partial.DATA ? 1 : 0;
            queuedPongs = 0;
        }
        table.webSocketPending(id, count == 0 ? -1 : queueOffset[head]);
        closeFrame.clear();
        int n = ServerFrames.writeCloseFrame(closeFrame, 0, code);
        closeFrame.limit(n).position(0);
        closePending = true;
        flush();
    }

    // ---- sending ----

    /**
     * Queues a frame of {@code length} ring bytes at {@code offset}. A full
     * queue means the client does not keep up: it is closed as too slow.
     */
    boolean enqueue(long offset, int length, int opcode) {
        if (state != State.OPEN) {
            return false;
        }
        if (!outbox.ringHolds(offset)) {
            // Never queue bytes the ring has overwritten: the client would get another message's bytes.
            throw new IllegalStateException("ring offset " + offset + " was overwritten before it was queued");
        }
        int capacity = queueOffset.length;
        if (count == capacity) {
            // Frames are written at the end of the loop turn, so many hand-offs in one turn (a burst
            // of send()/broadcast() tasks) can fill the queue of a client that reads fine. Write what
            // the socket takes now; only a queue that stays full means the client is too slow.
            flush();
            if (state != State.OPEN) {
                return false;
            }
            if (count == capacity) {
                table.close(this, CloseReason.WS_CLIENT_TOO_SLOW);
                return false;
            }
        }
        int slot = head + count;
        if (slot >= capacity) {
            slot -= capacity;
        }
        queueOffset[slot] = offset;
        queueLength[slot] = length;
        queueOpcode[slot] = (byte) opcode;
        if (opcode == ServerFrames.OPCODE_PONG) {
            queuedPongs++;
        }
        if (count++ == 0) {
            table.webSocketPending(id, offset);
        }
        markDirty();
        return true;
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            outbox.markDirty(id);
        }
    }

    /** Called by the server at the end of a loop turn for connections that got frames. */
    void flushIfDirty() {
        if (dirty) {
            dirty = false;
            if (state != State.FREE) {
                flush();
            }
        }
    }

    /**
     * Writes as much as the socket takes, in gathered batches: a half-written
     * frame first, then a pending ping or pong, then the close frame or more data
     * frames.
     */
    void flush() {
        if (state == State.LINGERING) {
            return;
        }
        WriteScratch s = scratch;
        while (state != State.FREE) {
            int elements = gather(s);
            if (elements == 0) {
                setInterest(baseInterest());
                return;
            }
            long requested = 0;
            for (int i = 0; i < s.buffers; i++) {
                requested += s.gather[i].remaining();
            }
            long written;
            try {
                written = channel.write(s.gather, 0, s.buffers);
            } catch (IOException e) {
                s.clear();
                table.close(this, CloseReason.PEER_RESET);
                return;
            }
            counters.bytesWritten(written);
            // Judged by the byte count, not by the last buffer: an empty frame payload never has bytes left,
            // and a write that took less than asked must wait for the selector, never be retried at once.
            boolean socketFull = written < requested;
            s.clear();
            if (!account(s, elements)) {
                return;
            }
            if (socketFull) {
                setInterest(baseInterest() | SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    /** Lays out the next batch in {@code s}; returns the number of elements (frames) in it. */
    private int gather(WriteScratch s) {
        s.buffers = 0;
        int elements = 0;
        int dataFrames = 0;
        if (partial == Partial.CONTROL) {
            elements = s.add(elements, WriteScratch.CONTROL, controlFrame);
        } else if (partial == Partial.CLOSE) {
            return s.add(elements, WriteScratch.CLOSE, closeFrame);
        } else if (partial == Partial.DATA) {
            elements = addDataFrame(s, elements, dataFrames++);
        }
        if (controlPending && partial != Partial.CONTROL) {
            elements = s.add(elements, WriteScratch.CONTROL, controlFrame);
        }
        while (dataFrames < count && dataFrames < ServerConfig.MAX_GATHERED_FRAMES) {
            elements = addDataFrame(s, elements, dataFrames++);
        }
        if (closePending && dataFrames == count) {
            // the close frame goes after every queued data frame, never before one
            elements = s.add(elements, WriteScratch.CLOSE, closeFrame);
        }
        return elements;
    }

    /** Adds header and payload views of the queue entry {@code index} places after the head. */
    private int addDataFrame(WriteScratch s, int elements, int index) {
        int slot = slotOf(index);
        int length = queueLength[slot];
        ByteBuffer header = s.headers[index];
        header.clear();
        int headerLength = ServerFrames.writeHeader(header, 0, queueOpcode[slot], length);
        int done = index == 0 ? headWritten : 0;
        header.limit(headerLength).position(Math.min(done, headerLength));
        ByteBuffer payload = s.payloads[index];
        int start = outbox.index(queueOffset[slot]);
        payload.limit(start + length).position(start + Math.max(0, done - headerLength));
        s.kinds[elements] = WriteScratch.DATA;
        s.gather[s.buffers++] = header;
        s.gather[s.buffers++] = payload;
        return elements + 1;
    }

    /**
     * Walks the batch in order after a write: every element before the first
     * unfinished one is done; the unfinished one, if started, becomes the
     * partial frame. Returns false if the connection closed because its
     * close frame went out.
     */
    private boolean account(WriteScratch s, int elements) {
        int dataIndex = 0;
        int popped = 0;
        boolean open = true;
        walk:
        for (int e = 0; e < elements; e++) {
            switch (s.kinds[e]) {
                case WriteScratch.CONTROL:
                    if (controlFrame.hasRemaining()) {
                        partial = controlFrame.position() > 0 ? Partial.CONTROL : Partial.NONE;
                        break walk;
                    }
                    controlPending = false;
                    partial = Partial.NONE;
                    counters.framesWritten(1);
                    break;
                case WriteScratch.CLOSE:
                    if (closeFrame.hasRemaining()) {
                        partial = closeFrame.position() > 0 ? Partial.CLOSE : Partial.NONE;
                        break walk;
                    }
                    closePending = false;
                    partial = Partial.NONE;
                    counters.framesWritten(1);
                    open = false;
                    break walk;
                case WriteScratch.DATA:
                    ByteBuffer header = s.headers[dataIndex];
                    ByteBuffer payload = s.payloads[dataIndex];
                    int unsent = header.remaining() + payload.remaining();
                    if (unsent == 0) {
                        popped++;
                        dataIndex++;
                        headWritten = 0;
                        partial = Partial.NONE;
                        break;
                    }
                    int total = header.limit() + queueLength[slotOf(dataIndex)];
                    headWritten = total - unsent;
                    partial = headWritten > 0 ? Partial.DATA : Partial.NONE;
                    break walk;
                default:
                    throw new IllegalStateException("unknown frame kind " + s.kinds[e]);
            }
        }
        if (popped > 0) {
            pop(popped);
        }
        if (!open) {
            if (closingReason == CloseReason.OK) {
                // Our close frame answered the client's: the handshake is complete.
                table.close(this, closingReason);
            } else {
                linger();
            }
        }
        return open;
    }

    /**
     * Our close frame is out and was not an answer to the client's, which may still be sending
     * (the rest of a message too large for us, say): wait for it to close; see {@code LINGERING}.
     */
    private void linger() {
        state = State.LINGERING;
        linger(closingReason);
    }

    private int slotOf(int index) {
        int slot = head + index;
        return slot >= queueOffset.length ? slot - queueOffset.length : slot;
    }

    private void pop(int frames) {
        for (int i = 0; i < frames && queuedPongs > 0; i++) {
            if (queueOpcode[slotOf(i)] == ServerFrames.OPCODE_PONG) {
                queuedPongs--;
            }
        }
        head = slotOf(frames);
        count -= frames;
        counters.framesWritten(frames);
        table.webSocketPending(id, count == 0 ? -1 : queueOffset[head]);
    }

    private int baseInterest() {
        return state == State.OPEN ? SelectionKey.OP_READ : 0;
    }

    @Override
    long pendingBytes() {
        long total = -headWritten;
        for (int i = 0; i < count; i++) {
            total += queueLength[slotOf(i)];
        }
        return Math.max(0, total);
    }

    int queuedFrames() {
        return count;
    }

    @Override
    String describe() {
        return "ws " + id + " " + state + " queued=" + count + " (pongs " + queuedPongs + ") headWritten=" + headWritten + " partial=" + partial
                + " control=" + (controlPending ? (controlIsPong ? "pong" : "ping") : "none") + " close=" + closePending
                + " dirty=" + dirty + "/" + outbox.isMarkedDirty(id) + " filled=" + filled + " decoder["
                + decoder.describe() + "] " + describeSocket();
    }
}
