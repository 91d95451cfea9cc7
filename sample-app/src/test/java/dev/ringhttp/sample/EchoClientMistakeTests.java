package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.LogAssertions;
import dev.ringhttp.core.testing.RawConnection;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@code /echo} answers with the request's Content-Type: one too long for the response head was
 * a 500 with an ERROR stack trace and a counted handler error, for what is the client's mistake.
 */
@SampleAppTest
@ExtendWith(OutputCaptureExtension.class)
class EchoClientMistakeTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    RingHttpServer server;

    @Test
    void contentTypeTooLongToEchoIs415AndNotLogged(CapturedOutput output) throws IOException {
        long handlerErrors = server.counters().handlerErrors();
        String body = "{\"a\":1}";
        String answer = RawConnection.requestUntilClose(port,
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json; x="
                + "a".repeat(5000) + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer).startsWith("HTTP/1.1 415 ");
        LogAssertions.assertNoWarningsOrErrors(output);
        assertThat(server.counters().handlerErrors()).isEqualTo(handlerErrors);
    }
}
