package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The rules that need the whole head: message framing, Host, persistence; then the WebSocket
 * handshake ({@link WebSocketHandshakeCheck}). Run once, when the empty line ending the head has
 * been seen, so the body length is known before any body byte is awaited.
 *
 * <p>Checks, in this order; the first failure is the answer:
 * <ol>
 *   <li>each {@code Content-Length} is {@code 1*DIGIT} (no sign, space, comma list or hex), and
 *       all {@code Content-Length} fields have byte-identical values; else {@code BAD_REQUEST}
 *       (RFC 9112 section 6.3, rule 5: an invalid length is an unrecoverable framing error);
 *   <li>{@code Transfer-Encoding} with {@code Content-Length} is {@code BAD_REQUEST} (the request
 *       smuggling shape, RFC 9112 section 6.1), and so is {@code Transfer-Encoding} in an HTTP/1.0
 *       request (section 6.1: its framing is faulty); alone its codings must be exactly
 *       {@code chunked} ({@link TransferCodings}), and the body is then decoded by the parser;
 *   <li>an HTTP/1.1 request without {@code Host}, or any request with more than one, is
 *       {@code BAD_REQUEST} (RFC 9112 section 3.2); HTTP/1.0 may omit it;
 *   <li>POST, PUT and PATCH with neither {@code Content-Length} nor a chunked body are
 *       {@code MISSING_CONTENT_LENGTH_HEADER};
 *   <li>a body longer than {@code maxBodyLength} is {@code LARGE_REQUEST}, decided now, before
 *       the body arrives (whether it fits the request buffer is the parser's concern). A well-formed length of any size is a length, so one too
 *       large for an {@code int} or a {@code long} (say 30 digits) is {@code LARGE_REQUEST}
 *       too, not {@code BAD_REQUEST}; leading zeros are allowed ({@code 007} is 7);
 *   <li>an {@code Expect} other than {@code 100-continue} in an HTTP/1.1 request is
 *       {@code EXPECTATION_FAILED} (417, RFC 9110 section 10.1.1); {@code 100-continue} is
 *       recorded, and the server answers it once the head is accepted and the body is due;
 *   <li>the WebSocket handshake fields, if the request asks to upgrade.
 * </ol>
 *
 * <p>Persistence (RFC 9112 section 9.3): HTTP/1.1 keeps the connection unless a
 * {@code Connection} field lists {@code close}; HTTP/1.0 keeps it only if one lists
 * {@code keep-alive} and none lists {@code close}. Connection options are case-insensitive
 * tokens in comma lists, possibly spread over several fields.
 */
final class HeadSemantics {

    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] UPGRADE = ascii("upgrade");
    private static final byte[] WEBSOCKET = ascii("websocket");
    private static final byte[] CONTINUE = ascii("100-continue");

    /**
     * Beyond this many significant digits (leading zeros skipped) a length is at least
     * {@code 10^10}, above {@link Integer#MAX_VALUE} and so above any maxBodyLength; up to it,
     * the value is below {@code 10^10} and accumulates in a {@code long} without overflow.
     */
    private static final int MAX_SIGNIFICANT_DIGITS = 10;
    private static final long TOO_LARGE = Long.MAX_VALUE;
    private static final long INVALID = -1;
    private static final int DECIMAL = 10;

    private HeadSemantics() {
    }

    /**
     * Applies the rules to the fields in {@code request} and records the results in it.
     *
     * @param headLength bytes from the buffer's start to just after the empty line ending the head
     * @return {@code null} if the head is acceptable, else why it is refused
     */
    static CloseReason apply(ParsedRequest request, int headLength, int maxBodyLength) {
        ByteBuffer buffer = request.buffer();
        int contentLengthField = -1;
        boolean transferEncoding = false;
        int hostCount = 0;
        boolean close = false;
        boolean keepAliveOption = false;
        boolean upgradeOption = false;
        boolean upgradeToWebSocket = false;
        boolean expectsContinue = false;
        boolean otherExpectation = false;
        for (int i = 0; i < request.headerCount(); i++) {
            int start = request.valueStart(i);
            int length = request.valueLength(i);
            switch (request.kind(i)) {
                case CONTENT_LENGTH -> {
                    if (contentLengthField < 0) {
                        contentLengthField = i;
                    } else if (!HttpChars.regionsEqual(buffer, start, length,
                            request.valueStart(contentLengthField), request.valueLength(contentLengthField))) {
                        return CloseReason.BAD_REQUEST;
                    }
                }
                case TRANSFER_ENCODING -> transferEncoding = true;
                case HOST -> hostCount++;
                case CONNECTION -> {
                    close |= HttpChars.listContains(buffer, start, length, CLOSE, true);
                    keepAliveOption |= HttpChars.listContains(buffer, start, length, KEEP_ALIVE, true);
                    upgradeOption |= HttpChars.listContains(buffer, start, length, UPGRADE, true);
                }
                case UPGRADE -> upgradeToWebSocket |= HttpChars.listContains(buffer, start, length, WEBSOCKET, true);
                case EXPECT -> {
                    if (HttpChars.regionEqualsLowerCase(buffer, start, length, CONTINUE)) {
                        expectsContinue = true;
                    } else {
                        otherExpectation = true;
                    }
                }
                default -> {
                    // Other fields, and the WebSocket ones WebSocketHandshakeCheck reads, need nothing here.
                }
            }
        }

        long contentLength = 0;
        if (contentLengthField >= 0) {
            contentLength = parseContentLength(buffer,
                    request.valueStart(contentLengthField), request.valueLength(contentLengthField));
            if (contentLength == INVALID) {
                return CloseReason.BAD_REQUEST;
            }
        }
        if (transferEncoding) {
            if (contentLengthField >= 0 || request.isHttp10()) {
                return CloseReason.BAD_REQUEST;
            }
            CloseReason refused = TransferCodings.judge(request);
            if (refused != null) {
                return refused;
            }
        }
        if ((hostCount == 0 && !request.isHttp10()) || hostCount > 1) {
            return CloseReason.BAD_REQUEST;
        }
        if (contentLengthField < 0 && !transferEncoding && request.method().requiresContentLength()) {
            return CloseReason.MISSING_CONTENT_LENGTH_HEADER;
        }
        // contentLength is a long, saturated at TOO_LARGE, so the comparison cannot overflow.
        if (contentLength > maxBodyLength) {
            return CloseReason.LARGE_REQUEST;
        }
        // RFC 9110 section 10.1.1: an HTTP/1.0 request's expectation is ignored; 100-continue is the only one defined.
        if (otherExpectation && !request.isHttp10()) {
            return CloseReason.EXPECTATION_FAILED;
        }
        boolean keepAlive = !close && (!request.isHttp10() || keepAliveOption);
        request.setHead(headLength, (int) contentLength, transferEncoding, keepAlive);
        request.setExpectsContinue(expectsContinue && !request.isHttp10());

        boolean asksToUpgrade = upgradeToWebSocket && upgradeOption && request.method() == HttpMethod.GET;
        return WebSocketHandshakeCheck.apply(request, asksToUpgrade);
    }

    /**
     * The value of a {@code Content-Length} field, {@code 1*DIGIT} (RFC 9110 section 8.6).
     *
     * @return the value; {@link #TOO_LARGE} if it has more than {@link #MAX_SIGNIFICANT_DIGITS}
     *     significant digits; {@link #INVALID} if it is empty or holds a non-digit
     */
    private static long parseContentLength(ByteBuffer buffer, int start, int length) {
        if (length == 0) {
            return INVALID;
        }
        int end = start + length;
        int first = start;
        while (first < end && buffer.get(first) == '0') {
            first++;
        }
        long value = 0;
        for (int i = first; i < end; i++) {
            byte b = buffer.get(i);
            if (!HttpChars.isDigit(b)) {
                return INVALID;
            }
            if (i - first < MAX_SIGNIFICANT_DIGITS) {
                // At most 10 digits: value < 10^10, far from Long.MAX_VALUE.
                value = value * DECIMAL + (b - '0');
            } else {
                // Keep validating the digits, then report the saturated value.
                value = TOO_LARGE;
            }
        }
        return value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
