package dev.ringhttp.core;

import dev.ringhttp.core.http.HeadWriter;
import dev.ringhttp.core.http.ParsedRequest;
import dev.ringhttp.core.http.RequestParser;
import dev.ringhttp.core.ws.WebSocketHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One slot of the HTTP pool: its buffers, parser and response are allocated
 * once and reused by every connection that gets this id.
 *
 * <p>States, and what the selector watches in each:
 * <ul>
 * <li>{@code FREE}: no socket.
 * <li>{@code READING}: waiting for request bytes (read interest). Complete
 *     pipelined requests already in the buffer are answered one by one
 *     without reading more.
 * <li>{@code CONTINUING}: writing {@code 100 Continue} to a client that
 *     sent {@code Expect: 100-continue} and waits for it before its body;
 *     afterwards reading goes on.
 * <li>{@code DEFERRED}: the handler deferred its answer; reads continue
 *     only to notice a reset (which closes the connection) and to buffer
 *     what the client pipelines, which is parsed after the answer.
 * <li>{@code COMPLETED}: the deferred answer is complete and waits for the
 *     loop's next safe point (never inside the code that completed it),
 *     where it is written like any other.
 * <li>{@code WRITING}: a response is being written (write interest only
 *     while the socket is full); afterwards the next request is parsed.
 * <li>{@code WRITING_LAST}: the last response (an error, or
 *     {@code Connection: close}) is being written; afterwards the connection
 *     closes with {@link #finalReason}.
 * <li>{@code LINGERING}: an error status was written (the client's
 *     mistake) and our side shut down; what the client still sends (the rest
 *     of a body too large, say) is read and discarded until it closes, or for
 *     at most {@link Deadlines#LINGER_MILLIS}, so that closing with unread
 *     bytes never resets the connection under the answer the client has yet
 *     to read. Then the connection closes with {@link #finalReason}.
 * <li>{@code UPGRADING}: the 101 is being written; afterwards the socket
 *     moves to the WebSocket pool.
 * </ul>
 * Only in the writing states with a ring body is the connection in the
 * server's eviction order, keyed by the body's ring offset.
 *
 * <p>Pipelined requests are answered by one loop ({@link #processRequests}),
 * never by recursion: finishing a response only moves the next request to
 * the buffer's start, and the loop, or the selector's next write event,
 * goes on with it. A client that pipelines thousands of requests costs
 * iterations, not stack.
 *
 * <p>Timeouts ({@link Deadlines}): {@code READING} with nothing buffered runs
 * the idle clock, {@code READING} with part of a request the request-read
 * clock (from that request's first byte); a write the socket does not take
 * whole runs the idle clock, restarted whenever the client takes bytes.
 * Handling and deferred answers run no clock.
 */
final class HttpConnection extends Connection {

    enum State { FREE, READING, CONTINUING, DEFERRED, COMPLETED, WRITING, WRITING_LAST, LINGERING, UPGRADING }

    private static final byte[] UPGRADE_HEAD = ascii(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    private static final byte[] ZSTD_PROTOCOL = ascii("Sec-WebSocket-Protocol: compress-zstd\r\n");
    /** Neither side keeps a compression context between messages: no per-connection state (RFC 7692 7.1.1). */
    private static final byte[] DEFLATE_EXTENSION = ascii(
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n");
    private static final byte[] VERSION_13 = ascii("Sec-WebSocket-Version: 13\r\n");
    /** A large-body buffer frees when the request holding it is answered: usually within seconds. */
    private static final byte[] RETRY_AFTER = ascii("Retry-After: 1\r\n");
    private static final byte[] TEXT_PLAIN = ascii("Content-Type: text/plain; charset=utf-8\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    /** Reads made to drain a request we refused, so that closing does not reset the error response away. */
    private static final int DRAIN_READS = 4;

    private final HttpHandler handler;
    private final Outbox outbox;
    private final LoopScratch scratch;
    private final SafePoint safePoint;
    private final LargeBodyPool largeBodies;
    private final boolean compressionOffered;
    private final boolean deflateAccepted;
    private final ByteBuffer requestBuffer;
    private final ByteBuffer headBuffer;
    private final ByteBuffer ringView;
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private final ParsedRequest request;
    private final RequestParser parser;
    private final Response response;

    private State state = State.FREE;
    /** Whether application code may still fill {@link #response}: while its handler runs, or while it is deferred. */
    private boolean responseOpen;
    /** The 100 Continue of the current request has been sent (or was not due). */
    private boolean continueAnswered;
    /** Whether this tenant has written anything yet: its first write goes without socket options ({@link #tune}). */
    private boolean wroteBefore;
    /** The handler threw an Error: the response is a 500 and the connection closes after it. */
    private boolean handlerError;
    private int filled;
    private boolean peerShutdown;
    private CloseReason finalReason;

    private ByteBuffer body;
    private int bodyPosition;
    private int bodyLimit;
    /** Where a shared static body's position stood before this connection wrote from it. */
    private int sharedBodyStart;
    /**
     * With several loops, another loop may write the same static body at once, so each connection
     * writes through a view of its own, made when its static body changes (one small allocation);
     * with one loop the body itself is written, and left as the handler gave it.
     */
    private final boolean viewStaticBodies;
    private ByteBuffer viewedBody;
    private ByteBuffer staticView;
    private boolean ringBodyHeld;
    /** The large-body buffer lent to the current request, or {@link LargeBodyPool#NONE}. */
    private int largeBody = LargeBodyPool.NONE;

    HttpConnection(int id, ServerConfig config, ByteBuffer requestBuffer, ByteBuffer headBuffer, HttpHandler handler,
            ConnectionTable table, Outbox outbox, Staging staging, Timeouts timeouts, LoopScratch scratch,
            SafePoint safePoint, LargeBodyPool largeBodies, LoopCounters counters, boolean viewStaticBodies) {
        super(id, ConnectionType.HTTP, table, timeouts, counters, requestBuffer, DRAIN_READS);
        this.viewStaticBodies = viewStaticBodies;
        this.handler = handler;
        this.outbox = outbox;
        this.scratch = scratch;
        this.safePoint = safePoint;
        this.largeBodies = largeBodies;
        this.compressionOffered = config.compressWebSocket();
        this.deflateAccepted = config.webSocketDeflate();
        this.requestBuffer = requestBuffer;
        this.headBuffer = headBuffer;
        this.ringView = outbox.ringView();
        this.request = new ParsedRequest(requestBuffer, config.maxHeaderCount());
        this.parser = new RequestParser(request, config.maxRequestLength(), config.maxRequestLineLength(),
                config.maxHeaderCount(), config.maxRequestBodyLength(), largeBodies.exists());
        this.response = new Response(this, staging, outbox);
    }

    @Override
    State state() {
        return state;
    }

    @Override
    boolean isOpen() {
        return state != State.FREE;
    }

    /**
     * A client that asked to close ({@code Connection: close}, or HTTP/1.0 without keep-alive) sends
     * no further request (RFC 9112 section 9.6); when its last request was all the buffer held, and
     * the request is complete, nothing of it is left unread to reset the connection on close.
     */
    @Override
    boolean mayStillSend() {
        boolean clientClosing = state == State.WRITING_LAST && !request.keepAlive()
                && filled == request.requestLength();
        return !peerShutdown && !clientClosing;
    }

    /** Between requests with nothing buffered: safe to close on shutdown. */
    boolean isIdle() {
        return state == State.READING && filled == 0;
    }

    Response response() {
        return response;
    }

    /** @param viaManagementPort whether the socket was accepted by the management listener */
    void open(SocketChannel channel, InetSocketAddress remote, boolean viaManagementPort) {
        // Unregistered until it outlives the turn that accepted it (ConnectionTable.admit).
        attach(channel, null, SelectionKey.OP_READ, false);
        this.state = State.READING;
        this.filled = 0;
        this.peerShutdown = false;
        this.continueAnswered = false;
        this.wroteBefore = false;
        timeouts.start(this, Deadlines.HTTP_IDLE);
        parser.reset();
        request.setConnectionId(serverId);
        request.setRemoteAddress(remote);
        request.setViaManagementPort(viaManagementPort);
    }

    /** Forgets the socket; the table has closed or moved it. */
    @Override
    void release() {
        timeouts.stop(this);
        state = State.FREE;
        endTenancy();
        responseOpen = false;
        body = null;
        ringBodyHeld = false;
        releaseLargeBody();
        response.reset();
        request.setRemoteAddress(null);
    }

    @Override
    void onReady(int readyOps) {
        if (state == State.LINGERING) {
            discardWhileLingering();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && isWriting()) {
            write();
            // A finished response leaves the next pipelined request, if any, to this loop.
            processRequests();
        } else if ((readyOps & SelectionKey.OP_READ) != 0) {
            if (state == State.READING) {
                read();
            } else if (state == State.DEFERRED) {
                readWhileDeferred();
            }
        }
    }

    /**
     * While the handler works on a deferred answer, keep reading so that a
     * client that resets is noticed and its slot freed. Bytes (pipelined
     * requests) are only buffered; end of stream is remembered and answered
     * after the response, as for any half-closed client. Reading stops once
     * the buffer is full or the peer has shut down, so the loop never spins.
     */
    private void readWhileDeferred() {
        if (filled < requestBuffer.capacity() && !fill()) {
            return;
        }
        if (peerShutdown || filled == requestBuffer.capacity()) {
            setInterest(0);
        }
    }

    private boolean isWriting() {
        return state == State.WRITING || state == State.WRITING_LAST || state == State.UPGRADING
                || state == State.CONTINUING;
    }

    /** Whether application code may still fill this connection's response. */
    boolean responseOpen() {
        return responseOpen;
    }

    private void read() {
        if (fill()) {
            processRequests();
        }
    }

    /**
     * Reads what the socket has into the free end of the request buffer;
     * end of stream sets {@link #peerShutdown}. Returns false when the read
     * failed and the connection was closed as {@link CloseReason#PEER_RESET}.
     */
    private boolean fill() {
        int n = readInto(requestBuffer, filled);
        if (n == READ_FAILED) {
            return false;
        }
        if (n == END_OF_STREAM) {
            peerShutdown = true;
        } else {
            filled += n;
        }
        return true;
    }

    /**
     * Answers every complete request in the buffer, in order, until one must wait for the
     * socket or the handler. The only loop over pipelined requests: each pass answers one
     * request whose bytes are already buffered (at most maxRequestLength of them), and a
     * response that completes at once returns here rather than calling back in.
     */
    private void processRequests() {
        while (state == State.READING) {
            switch (parser.parse(requestBuffer, filled)) {
                case NEED_MORE:
                    // A chunked body's framing is spent once parsed: give its room to what comes next.
                    filled = parser.reclaim(requestBuffer, filled);
                    if (shouldAnswerContinue()) {
                        answerContinue();
                        break;
                    }
                    if (peerShutdown) {
                        table.close(this, filled == 0 ? CloseReason.EXPECTED_EOF : CloseReason.UNEXPECTED_EOF);
                    } else if (filled == 0 && table.isShuttingDown()) {
                        table.close(this, CloseReason.SERVER_SHUTDOWN);
                    } else {
                        // Between requests the idle clock runs; from a request's first byte, the read clock.
                        timeouts.startUnlessRunning(this, filled == 0 ? Deadlines.HTTP_IDLE : Deadlines.HTTP_REQUEST);
                        setInterest(SelectionKey.OP_READ);
                    }
                    return;
                case ERROR:
                    refuse(parser.error());
                    return;
                case COMPLETE:
                    answer();
                    break;
                case LARGE_BODY:
                    if (!lendLargeBody()) {
                        refuse(CloseReason.BODY_BUFFERS_BUSY);
                        return;
                    }
                    break;
                default:
                    throw new IllegalStateException("parser result");
            }
        }
    }

    /**
     * The body outgrew the request buffer: lends it a large-body buffer for the request's
     * lifetime, if one is free. Decided from the head (or a chunk's size), before the interim
     * {@code 100 Continue}, so a client that waits for it sends no body it would be refused.
     */
    private boolean lendLargeBody() {
        int lent = largeBodies.borrow();
        if (lent == LargeBodyPool.NONE) {
            return false;
        }
        largeBody = lent;
        parser.spillTo(largeBodies.buffer(lent), largeBodies.view(lent));
        return true;
    }

    /** The request that borrowed a large-body buffer is answered, or its connection gone: the buffer goes back. */
    private void releaseLargeBody() {
        if (largeBody != LargeBodyPool.NONE) {
            largeBodies.giveBack(largeBody);
            largeBody = LargeBodyPool.NONE;
        }
    }

    /**
     * RFC 9110 section 10.1.1: a client that sent {@code Expect: 100-continue} may wait for the
     * interim answer before its body. Due once per request, once its head is accepted and while
     * body bytes are still missing; a head the server refuses gets its final status instead.
     */
    private boolean shouldAnswerContinue() {
        return !continueAnswered && request.expectsContinue() && parser.awaitsBody() && !peerShutdown;
    }

    private void answerContinue() {
        continueAnswered = true;
        headBuffer.clear();
        headBuffer.put(CONTINUE).flip();
        body = null;
        state = State.CONTINUING;
        write();
    }

    private void answer() {
        timeouts.stop(this);
        int expected = generation();
        response.reset();
        counters.request();
        handlerError = false;
        responseOpen = true;
        try {
            handler.handle(request, response);
        } catch (Throwable t) {
            SafePoint.handlerFailed(counters, t, "HTTP handler for " + request.method() + " " + safePath());
            response.failed();
            // An Error (stack overflow, assertion, linkage) leaves the handler's state in doubt: this connection ends.
            handlerError = t instanceof Error;
        }
        safePoint.settle();
        if (generation() != expected || state != State.READING) {
            return;
        }
        if (response.isDeferred() && !handlerError) {
            state = State.DEFERRED;
            setInterest(peerShutdown ? 0 : SelectionKey.OP_READ);
            return;
        }
        responseOpen = false;
        send();
    }

    private String safePath() {
        try {
            return request.path();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** The application completed its deferred response: written at the loop's next safe point. */
    void completeDeferred() {
        if (state != State.DEFERRED) {
            throw new IllegalStateException("connection " + id + " has no deferred response");
        }
        state = State.COMPLETED;
        responseOpen = false;
        safePoint.complete(id);
    }

    /** Writes a completed deferred response, then answers what was pipelined behind it. */
    void writeCompleted() {
        if (state != State.COMPLETED) {
            return;
        }
        state = State.READING;
        send();
        processRequests();
    }

    /** Formats and starts writing the response the handler filled in. */
    private void send() {
        if (response.isUpgrade()) {
            if (!request.isWebSocketUpgrade()) {
                releaseRingBody();
                refuse(CloseReason.WS_MISSING_UPGRADE);
                return;
            }
            releaseRingBody();
            writeUpgradeHead();
            state = State.UPGRADING;
            body = null;
            write();
            return;
        }
        boolean keepAlive = request.keepAlive() && !response.closeRequested() && !table.isShuttingDown()
                && !handlerError;
        HeadWriter w = scratch.headWriter(headBuffer);
        try {
            response.writeHead(w, scratch.date(), keepAlive, request.isHttp10());
        } catch (BufferOverflowException | IllegalArgumentException e) {
            SafePoint.handlerFailed(counters, e, "response head for " + safePath() + " does not fit "
                    + headBuffer.capacity() + " bytes (responseHeaderBufferSize)");
            response.failed();
            w.reset(headBuffer);
            response.writeHead(w, scratch.date(), keepAlive, request.isHttp10());
        }
        headBuffer.limit(w.position()).position(0);
        selectBody(request.method() == HttpMethod.HEAD);
        joinSmallBody();
        if (keepAlive) {
            state = State.WRITING;
        } else {
            state = State.WRITING_LAST;
            finalReason = handlerError ? CloseReason.HANDLER_ERROR
                    : table.isShuttingDown() ? CloseReason.SERVER_SHUTDOWN : CloseReason.OK;
        }
        write();
    }

    /**
     * Copies a body that fits behind the head into the head buffer, so the response leaves in one
     * plain write instead of a gathering one; a ring body is then no longer needed. Absolute copies:
     * the source buffer's position and limit stay as they are.
     */
    private void joinSmallBody() {
        if (body == null) {
            return;
        }
        int length = bodyLimit - bodyPosition;
        int at = headBuffer.limit();
        if (length > headBuffer.capacity() - at) {
            return;
        }
        if (body == ringView) {
            // The ring's view still bounds the previous window; an absolute copy is checked against its limit.
            ringView.limit(bodyLimit);
        }
        headBuffer.limit(at + length);
        headBuffer.put(at, body, bodyPosition, length);
        body = null;
        releaseRingBody();
    }

    private void selectBody(boolean headRequest) {
        body = null;
        if (headRequest || dev.ringhttp.core.http.HttpStatus.forbidsBody(response.status())) {
            releaseRingBody();
            return;
        }
        switch (response.bodyKind()) {
            case STATIC:
                body = staticView(response.staticBody());
                bodyPosition = response.staticPosition();
                bodyLimit = response.staticLimit();
                sharedBodyStart = bodyPosition;
                break;
            case RING:
                body = ringView;
                bodyPosition = outbox.index(response.ringOffset());
                bodyLimit = bodyPosition + response.ringLength();
                break;
            default:
                break;
        }
        if (body == null || bodyPosition == bodyLimit) {
            body = null;
            releaseRingBody();
        }
    }

    private ByteBuffer staticView(ByteBuffer shared) {
        if (!viewStaticBodies) {
            return shared;
        }
        if (shared != viewedBody) {
            viewedBody = shared;
            staticView = shared.duplicate();
        }
        return staticView;
    }

    private void writeUpgradeHead() {
        HeadWriter w = scratch.headWriter(headBuffer);
        w.bytes(UPGRADE_HEAD);
        int acceptAt = w.skip(WebSocketHandshake.ACCEPT_LENGTH);
        scratch.handshake().writeAccept(requestBuffer, request.webSocketKeyIndex(), headBuffer, acceptAt);
        w.crlf();
        if (compressionAgreed()) {
            w.bytes(ZSTD_PROTOCOL);
        }
        if (deflateAgreed()) {
            w.bytes(DEFLATE_EXTENSION);
        }
        w.crlf();
        headBuffer.limit(w.position()).position(0);
    }

    boolean compressionAgreed() {
        return compressionOffered && request.offersZstdCompression();
    }

    boolean deflateAgreed() {
        return deflateAccepted && request.offersPerMessageDeflate();
    }

    /** Writes the error status for {@code reason}, then closes with it. */
    void refuse(CloseReason reason) {
        int status = reason.httpStatus();
        if (status == 0) {
            table.close(this, reason);
            return;
        }
        byte[] text = scratch.errorBody(status);
        HeadWriter w = scratch.headWriter(headBuffer);
        w.bytes(dev.ringhttp.core.http.HttpStatus.statusLine(status))
                .bytes(TEXT_PLAIN)
                .bytes(CONTENT_LENGTH).decimal(text.length).crlf()
                .bytes(CONNECTION_CLOSE);
        if (reason == CloseReason.WS_UNEXPECTED_VERSION) {
            w.bytes(VERSION_13);
        } else if (reason == CloseReason.BODY_BUFFERS_BUSY) {
            w.bytes(RETRY_AFTER);
        }
        w.crlf();
        headBuffer.limit(w.position()).position(0);
        body = scratch.errorBodyBuffer(status);
        bodyPosition = 0;
        bodyLimit = text.length;
        sharedBodyStart = 0;
        state = State.WRITING_LAST;
        finalReason = reason;
        write();
    }

    private void write() {
        // A 100 Continue and a 101 are followed by more writes: the options go before them too.
        boolean more = wroteBefore || state == State.CONTINUING || state == State.UPGRADING;
        if (more && !tune()) {
            return;
        }
        wroteBefore = true;
        int count = 1;
        gather[0] = headBuffer;
        if (body != null) {
            body.limit(bodyLimit).position(bodyPosition);
            gather[1] = body;
            count = 2;
        }
        long n;
        try {
            n = count == 1 ? channel.write(headBuffer) : channel.write(gather, 0, count);
        } catch (IOException e) {
            table.close(this, CloseReason.PEER_RESET);
            return;
        }
        counters.bytesWritten(n);
        if (body != null) {
            bodyPosition = body.position();
            if (body != ringView) {
                // Static bodies are shared by every connection: leave them as the handler gave them.
                body.limit(bodyLimit).position(sharedBodyStart);
            }
        }
        if (headBuffer.hasRemaining() || (body != null && bodyPosition < bodyLimit)) {
            // A reader that stops taking bytes is idle: its clock restarts whenever it takes some.
            if (n > 0 || !timeouts.runs(this, Deadlines.HTTP_IDLE)) {
                timeouts.start(this, Deadlines.HTTP_IDLE);
            }
            // The rest waits for the kernel: from now on it keeps at most the configured send buffer.
            if (!tune()) {
                return;
            }
            setInterest(SelectionKey.OP_WRITE);
            return;
        }
        timeouts.stop(this);
        body = null;
        releaseRingBody();
        switch (state) {
            case CONTINUING:
                state = State.READING;
                setInterest(SelectionKey.OP_READ);
                break;
            case WRITING:
                nextRequest();
                break;
            case WRITING_LAST:
                releaseLargeBody();
                if (finalReason.httpStatus() != 0) {
                    linger();
                } else {
                    table.close(this, finalReason);
                }
                break;
            case UPGRADING:
                releaseLargeBody();
                table.upgrade(this, request, response.upgradeChannel(), compressionAgreed(), deflateAgreed(),
                        filled - request.requestLength());
                break;
            default:
                throw new IllegalStateException("write finished in state " + state);
        }
    }

    /**
     * Drops the answered request from the buffer, leaving any pipelined one at its start for
     * {@link #processRequests} to parse; never parses it from here, so answering stays a loop.
     */
    private void nextRequest() {
        int consumed = request.requestLength();
        int rest = filled - consumed;
        if (rest > 0) {
            requestBuffer.put(0, requestBuffer, consumed, rest);
        }
        filled = rest;
        releaseLargeBody();
        parser.reset();
        continueAnswered = false;
        state = State.READING;
        setInterest(SelectionKey.OP_READ);
    }

    /** Shuts our side down after an error status and waits for the client to close; see {@code LINGERING}. */
    private void linger() {
        state = State.LINGERING;
        linger(finalReason);
    }

    void holdRingBody(long offset) {
        table.holdHttpBody(id, offset);
        ringBodyHeld = true;
    }

    void releaseRingBody() {
        if (ringBodyHeld) {
            table.releaseHttpBody(id);
            ringBodyHeld = false;
        }
    }

    @Override
    long pendingBytes() {
        if (!isWriting()) {
            return 0;
        }
        return headBuffer.remaining() + (body == null ? 0 : bodyLimit - bodyPosition);
    }

    @Override
    String describe() {
        return "http " + id + " " + state + " filled=" + filled + " responseOpen=" + responseOpen + " peerShutdown="
                + peerShutdown + " pending=" + pendingBytes() + " " + describeSocket();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
