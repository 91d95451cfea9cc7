package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploads against the sample with its shipped configuration (application.yml as it is, only the port
 * free): an 8 MiB JSON body, the most {@code max-request-body-size} allows, is echoed whole.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LargeUploadTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Shared by the tests: HttpClient has no close() before Java 21. */
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** 8 MiB of JSON: an array of numbered objects, padded to exactly {@code size} bytes. */
    private static byte[] jsonOf(int size) {
        StringBuilder sb = new StringBuilder(size).append('[');
        for (int i = 0; sb.length() < size - 64; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"v\":\"ring\"}");
        }
        sb.append(",\"");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] json = new byte[size];
        System.arraycopy(head, 0, json, 0, head.length);
        java.util.Arrays.fill(json, head.length, size - 2, (byte) 'x');
        json[size - 2] = '"';
        json[size - 1] = ']';
        return json;
    }

    @Test
    void echoAnswersAnEightMegabyteJsonBodyWithTheShippedConfiguration() throws Exception {
        byte[] json = jsonOf(8 << 20);
        // Content-Length with Expect: 100-continue, then chunked (a body publisher of unknown length).
        HttpResponse<byte[]> sized = client.send(HttpRequest.newBuilder(uri("/echo")).expectContinue(true)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo(json);
        HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri("/echo"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(json))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo(json);
        JsonNode parsed = JSON.readTree(chunked.body());
        assertThat(parsed.isArray()).isTrue();
    }

    @Test
    void aBodyOverTheShippedLimitIs413BeforeItIsSent() throws Exception {
        // A raw client: Java 17's HttpClient waits forever when Expect: 100-continue gets a final status.
        try (RawConnection c = new RawConnection(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + ((8 << 20) + 1)
                    + "\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

}
