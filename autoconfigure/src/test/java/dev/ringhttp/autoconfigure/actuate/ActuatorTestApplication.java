package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A ringhttp application with the actuator, Micrometer and Prometheus on the class path, and one route. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ActuatorTestApplication {

    /** Small buffers so each test context allocates little. */
    public static final String[] SMALL_SERVER = {
            "ringhttp.server.port=0",
            "ringhttp.server.address=127.0.0.1",
            "ringhttp.server.max-connections=8",
            "ringhttp.server.max-websocket-connections=2",
            "ringhttp.server.max-request-size=8KB",
            "ringhttp.server.max-websocket-message-size=4KB",
            "ringhttp.server.outgoing-buffer-size=1MB",
            "ringhttp.server.shutdown-grace-period=0s" };

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Bean
    Greeter greeter() {
        return new Greeter();
    }

    public static class Greeter {

        @HttpRoute("/hello/{name}")
        public String hello(@org.springframework.web.bind.annotation.PathVariable String name) {
            return "Hello " + name;
        }
    }

    public static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
