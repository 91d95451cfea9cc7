package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunked request bodies over loopback sockets: decoded, pipelined behind, refused when they must be. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChunkedRequestBodyTest {

    private static final String HEAD = "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n";
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Answers every request with its decoded body and, in a header, its length. */
    private static void echo(HttpRequest request, HttpResponse response) {
        ByteBuffer body = request.body();
        byte[] copy = new byte[body.remaining()];
        body.get(copy);
        response.header("X-Length", Integer.toString(request.contentLength())).body(copy);
    }

    private int start(int maxRequestLength) {
        // Without large-body buffers, as they are LargeRequestBodyTest's: a body must fit the request buffer.
        server = ItSupport.start(ItSupport.smallConfig().maxRequestLength(maxRequestLength)
                .maxRequestLineLength(Math.min(512, maxRequestLength)).largeBodyBuffers(0), ChunkedRequestBodyTest::echo);
        return server.port();
    }

    @Test
    void aBodySentInChunksOverSeveralWritesArrivesDecoded() throws Exception {
        try (RawConnection c = new RawConnection(start(4096))) {
            c.send(HEAD + "\r\n5\r\nhello\r\n");
            Thread.sleep(50);
            c.send("1;note=pause\r\n,\r\n");
            Thread.sleep(50);
            c.send("6\r\n world\r\n0\r\nX-Trailer: checked, not kept\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello, world");
            assertThat(r.header("X-Length")).isEqualTo("12");
        }
    }

    @Test
    void framingLargerThanTheRequestBufferIsReadAsItIsSpent() throws Exception {
        StringBuilder chunks = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            char c = (char) ('a' + i % 26);
            chunks.append("1\r\n").append(c).append("\r\n");
            expected.append(c);
        }
        // 9 KB on the wire for a 1.5 KB body, through a 2 KB request buffer.
        try (RawConnection c = new RawConnection(start(2048))) {
            c.send(HEAD + "\r\n" + chunks + "0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo(expected.toString());
        }
    }

    @Test
    void aRequestPipelinedBehindAChunkedOneIsAnsweredNext() throws Exception {
        try (RawConnection c = new RawConnection(start(4096))) {
            c.send(HEAD + "\r\n3\r\none\r\n0\r\n\r\n" + ItSupport.post("/echo", "two") + HEAD + "\r\n5\r\nthree\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("one");
            assertThat(c.readResponse().bodyText()).isEqualTo("two");
            assertThat(c.readResponse().bodyText()).isEqualTo("three");
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheChunks() throws Exception {
        try (RawConnection c = new RawConnection(start(4096))) {
            c.send(HEAD + "Expect: 100-continue\r\n\r\n");
            RawResponse interim = c.readResponse();
            assertThat(interim.status()).isEqualTo(100);
            c.send("4\r\nbody\r\n0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("body");
        }
    }

    @Test
    void aDecodedBodyLargerThanTheBufferIs413() throws Exception {
        try (RawConnection c = new RawConnection(start(4096))) {
            c.send(HEAD + "\r\n2000\r\n");
            assertThat(c.readResponse().status()).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
    }

    @Test
    void otherCodingsAre501AndChunkedWithContentLengthIs400() throws Exception {
        int port = start(4096);
        try (RawConnection c = new RawConnection(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(501);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        try (RawConnection c = new RawConnection(port)) {
            c.send(HEAD + "Content-Length: 4\r\n\r\n4\r\nbody\r\n0\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(400);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }
}
