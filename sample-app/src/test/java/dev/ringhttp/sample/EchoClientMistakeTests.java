package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.RingHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        String answer = request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json; x="
                + "a".repeat(5000) + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer).startsWith("HTTP/1.1 415 ");
        assertThat(output.getAll()).as("nothing logged above DEBUG")
                .doesNotContain(" ERROR ").doesNotContain(" WARN ").doesNotContain("Exception");
        assertThat(server.counters().handlerErrors()).isEqualTo(handlerErrors);
    }

    private String request(String raw) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
