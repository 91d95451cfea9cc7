package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bodies too large for the connection's request buffer, over loopback sockets: they borrow one of
 * the large-body buffers for the request's lifetime, arrive byte-exact (Content-Length or chunked),
 * leave what is pipelined behind them alone, and give the buffer back however the request ends.
 * When every buffer is lent the request is 503 with Retry-After; beyond the body limit, 413.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeRequestBodyTest {

    private static final int REQUEST_BUFFER = 4096;
    private static final int MAX_BODY = 2 << 20;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Answers with a digest of the body (length and a checksum, so megabytes need not travel back)
     * and, in a header, how many large-body buffers were lent while the handler ran.
     */
    private void digest(HttpRequest request, HttpResponse response) {
        ByteBuffer body = request.body();
        long sum = 0;
        int n = body.remaining();
        for (int i = body.position(); i < body.limit(); i++) {
            sum = sum * 31 + body.get(i);
        }
        response.header("X-Lent", Long.toString(server.server().counters().largeBodyBuffersInUse()))
                .body(n + ":" + sum);
    }

    private static String digestOf(byte[] body) {
        long sum = 0;
        for (byte b : body) {
            sum = sum * 31 + b;
        }
        return body.length + ":" + sum;
    }

    private int start(int largeBodyBuffers) {
        server = ItSupport.start(ItSupport.smallConfig().maxRequestLength(REQUEST_BUFFER)
                .maxRequestBodyLength(MAX_BODY).largeBodyBuffers(largeBodyBuffers), this::digest);
        return server.port();
    }

    private static byte[] head(int contentLength, String extra) {
        return ("POST /up HTTP/1.1\r\nHost: test\r\nContent-Length: " + contentLength + "\r\n" + extra + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("POST /up HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void aContentLengthBodyLargerThanTheRequestBufferArrivesWholeAndPipelinedRequestsFollow() throws Exception {
        byte[] body = ItSupport.pattern(MAX_BODY);
        byte[] small = "small body".getBytes(StandardCharsets.US_ASCII);
        try (RawConnection c = new RawConnection(start(1))) {
            // The next request rides in the same writes as the large body's last bytes.
            c.send(WsFrames.concat(head(body.length, ""), body, head(small.length, ""), small, head(1000, ""),
                    ItSupport.pattern(1000)));
            RawResponse large = c.readResponse();
            assertThat(large.bodyText()).isEqualTo(digestOf(body));
            assertThat(large.header("X-Lent")).isEqualTo("1");
            RawResponse next = c.readResponse();
            assertThat(next.bodyText()).isEqualTo(digestOf(small));
            assertThat(next.header("X-Lent")).as("a body that fits borrows nothing").isEqualTo("0");
            assertThat(c.readResponse().bodyText()).isEqualTo(digestOf(ItSupport.pattern(1000)));
            // The one buffer came back: a second large body on the same connection gets it.
            byte[] second = Arrays.copyOfRange(ItSupport.PATTERN, 7, 7 + 300_000);
            c.send(WsFrames.concat(head(second.length, ""), second));
            assertThat(c.readResponse().bodyText()).isEqualTo(digestOf(second));
        }
        // Given back once the response is written, which the client may see first.
        Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 0, "the large-body buffer back");
    }

    @Test
    void aChunkedBodyLargerThanTheRequestBufferArrivesDecodedAndPipelinedRequestsFollow() throws Exception {
        byte[] body = Arrays.copyOfRange(ItSupport.PATTERN, 3, 3 + 1_500_000);
        byte[] small = "after".getBytes(StandardCharsets.US_ASCII);
        try (RawConnection c = new RawConnection(start(1))) {
            // Chunks larger than the request buffer, then small ones: both ways of outgrowing it.
            c.send(WsFrames.concat(chunkedTwoSizes(body), head(small.length, ""), small));
            RawResponse large = c.readResponse();
            assertThat(large.bodyText()).isEqualTo(digestOf(body));
            assertThat(large.header("X-Lent")).isEqualTo("1");
            assertThat(c.readResponse().bodyText()).isEqualTo(digestOf(small));
        }
        Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 0, "the large-body buffer back");
    }

    /** {@code body} as 64 KiB chunks for its first million bytes, then 100-byte chunks. */
    private static byte[] chunkedTwoSizes(byte[] body) {
        byte[] big = chunked(Arrays.copyOf(body, 1_000_000), 65_536);
        byte[] little = chunked(Arrays.copyOfRange(body, 1_000_000, body.length), 100);
        // Join the two chunk sequences into one request: drop the first's last chunk and the second's head.
        int firstEnd = big.length - "0\r\n\r\n".length();
        int secondStart = indexOf(little, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        return WsFrames.concat(Arrays.copyOf(big, firstEnd), Arrays.copyOfRange(little, secondStart, little.length));
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void smallChunksThatOutgrowTheRequestBufferMoveToALargeBuffer() throws Exception {
        byte[] body = ItSupport.pattern(20_000);
        try (RawConnection c = new RawConnection(start(1))) {
            c.send(chunked(body, 50));
            RawResponse r = c.readResponse();
            assertThat(r.bodyText()).isEqualTo(digestOf(body));
            assertThat(r.header("X-Lent")).isEqualTo("1");
        }
    }

    @Test
    void whenEveryLargeBufferIsLentTheNextLargeBodyIs503WithRetryAfterAndItsClientSendsNoBody() throws Exception {
        int port = start(1);
        byte[] body = ItSupport.pattern(100_000);
        try (RawConnection holder = new RawConnection(port)) {
            // Half a body: the request holds the one large buffer while the rest is awaited.
            holder.send(WsFrames.concat(head(body.length, ""), Arrays.copyOf(body, 50_000)));
            Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 1, "a large-body buffer lent");
            try (RawConnection refused = new RawConnection(port)) {
                refused.send(head(body.length, "Expect: 100-continue\r\n"));
                RawResponse r = refused.readResponse();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(refused.isClosedByPeer()).isTrue();
            }
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.BODY_BUFFERS_BUSY);
            assertThat(server.server().counters().closes(CloseReason.BODY_BUFFERS_BUSY)).isEqualTo(1);
            // A body that fits the request buffer needs no large buffer, so it is served meanwhile.
            try (RawConnection fits = new RawConnection(port)) {
                fits.send(WsFrames.concat(head(10, ""), ItSupport.pattern(10)));
                assertThat(fits.readResponse().status()).isEqualTo(200);
            }
            holder.send(Arrays.copyOfRange(body, 50_000, body.length));
            assertThat(holder.readResponse().bodyText()).isEqualTo(digestOf(body));
        }
        // Answered, the holder gave the buffer back: the refused client's retry now succeeds.
        try (RawConnection retry = new RawConnection(port)) {
            retry.send(head(body.length, "Expect: 100-continue\r\n"));
            assertThat(retry.readResponse().status()).isEqualTo(100);
            retry.send(body);
            assertThat(retry.readResponse().bodyText()).isEqualTo(digestOf(body));
        }
    }

    @Test
    void aClientThatLeavesMidBodyGivesItsLargeBufferBack() throws Exception {
        int port = start(1);
        try (RawConnection c = new RawConnection(port)) {
            c.send(WsFrames.concat(head(1_000_000, ""), ItSupport.pattern(200_000)));
            Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 1, "a large-body buffer lent");
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.UNEXPECTED_EOF);
        Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 0, "the large-body buffer back");
        try (RawConnection c = new RawConnection(port)) {
            c.send(WsFrames.concat(head(10_000, ""), ItSupport.pattern(10_000)));
            assertThat(c.readResponse().header("X-Lent")).isEqualTo("1");
        }
    }

    @Test
    void aBodyOverTheBodyLimitIs413BeforeItArrivesWhateverItsFraming() throws Exception {
        int port = start(2);
        try (RawConnection c = new RawConnection(port)) {
            c.send(head(MAX_BODY + 1, "Expect: 100-continue\r\n"));
            assertThat(c.readResponse().status()).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
        try (RawConnection c = new RawConnection(port)) {
            // Two chunks that each fit, and together cross the limit at the second's size line.
            c.send("POST /up HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(MAX_BODY - 10) + "\r\n");
            c.send(ItSupport.pattern(MAX_BODY - 10));
            c.send("\r\nb\r\n");
            assertThat(c.readResponse().status()).isEqualTo(413);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
        assertThat(server.server().counters().largeBodyBuffersInUse()).isZero();
    }

    @Test
    void aHeadThatLeavesTooLittleRoomToReadALargeBodyThroughIs431() throws Exception {
        int port = start(1);
        // A head that fills the request buffer to its last byte: its body could never be read.
        String head = "POST /up HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\nX-Pad: ";
        String filler = "p".repeat(REQUEST_BUFFER - head.length() - 4);
        try (RawConnection c = new RawConnection(port)) {
            c.send(head + filler + "\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(431);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.HEADERS_TOO_LARGE);
        assertThat(server.server().counters().largeBodyBuffersInUse()).isZero();
        ItSupport.assertStillServes(server);
    }

    @Test
    void withoutLargeBuffersABodyOverTheRequestBufferIs413() throws Exception {
        int port = start(0);
        try (RawConnection c = new RawConnection(port)) {
            c.send(head(REQUEST_BUFFER, ""));
            assertThat(c.readResponse().status()).isEqualTo(413);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
    }

    @Test
    void theLargeBuffersAreInTheFootprint() {
        ServerConfig without = ItSupport.smallConfig().largeBodyBuffers(0).build();
        ServerConfig with = ItSupport.smallConfig().largeBodyBuffers(3).maxRequestBodyLength(MAX_BODY).build();
        assertThat(with.footprint() - without.footprint()).isGreaterThanOrEqualTo(3L * MAX_BODY);
    }
}
