package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample takes its port as any Spring Boot web application does: its
 * own configuration says {@code server.port: 8080}, and
 * {@code --server.port} on the command line moves it.
 */
class SampleApplicationPortTests {

    @Test
    void serverPortOnTheCommandLineMovesIt() throws Exception {
        int port = freePort();
        try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
                "--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--ringhttp.server.max-connections=8", "--ringhttp.server.max-websocket-connections=8",
                "--ringhttp.server.outgoing-buffer-size=1MB")) {
            HttpResponse<String> hello = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello, World!");
            assertThat(context.getEnvironment().getProperty("local.server.port", Integer.class)).isEqualTo(port);
        }
    }

    /** A port free a moment ago; another process could take it before the sample does, which is unlikely. */
    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
