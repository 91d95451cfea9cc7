package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.TestServer;
import org.junit.jupiter.api.Test;

/** An unexpected exception inside the server closes only that connection, with INTERNAL_ERROR. */
class UnexpectedErrorTest {

    /** A header value that breaks while the server formats the head, after the handler returned. */
    private static final CharSequence BROKEN = new CharSequence() {
        @Override
        public int length() {
            return 5;
        }

        @Override
        public char charAt(int index) {
            throw new UnsupportedOperationException("this value cannot be read");
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return "broken";
        }
    };

    @Test
    void anExceptionWhileWritingClosesThatConnectionAsInternalErrorAndTheLoopGoesOn() throws Exception {
        try (TestServer server = TestServer.start((request, response) -> {
            if (request.pathEquals("/broken")) {
                response.header("X-Broken", BROKEN);
            } else {
                response.body("fine");
            }
        }, WebSocketHandler.NONE)) {
            try (RawConnection bystander = new RawConnection(server.port());
                    RawConnection victim = new RawConnection(server.port())) {
                bystander.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(bystander.readResponse().bodyText()).isEqualTo("fine");

                victim.send("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.INTERNAL_ERROR);
                assertThat(victim.isClosedByPeer()).isTrue();

                bystander.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(bystander.readResponse().bodyText()).isEqualTo("fine");
            }
            assertThat(server.server().counters().closes(ConnectionType.HTTP, CloseReason.INTERNAL_ERROR)).isEqualTo(1);
            assertThat(server.server().isRunning()).isTrue();
        }
    }
}
