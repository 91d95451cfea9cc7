package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.util.StreamUtils;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * Bodies read and written by spring-web's message converters over real sockets: Boot's JSON
 * converter, strings and bytes, a converter the application registers as a bean (used both ways),
 * content negotiation by {@code Accept} (406) and by Content-Type (415, saying what is readable).
 */
@SpringBootTest(classes = MessageConvertersIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class MessageConvertersIntegrationTests {

    static final MediaType POINT = MediaType.parseMediaType("text/x-point");

    @LocalRingHttpPort
    int port;

    record Point(int x, int y) {
    }

    /** Writes and reads a point as {@code x,y}: a format only this converter knows. */
    static class PointConverter extends AbstractHttpMessageConverter<Point> {

        PointConverter() {
            super(StandardCharsets.US_ASCII, POINT);
        }

        @Override
        protected boolean supports(Class<?> type) {
            return type == Point.class;
        }

        @Override
        protected Point readInternal(Class<? extends Point> type, HttpInputMessage input) throws IOException {
            String[] xy = StreamUtils.copyToString(input.getBody(), StandardCharsets.US_ASCII).split(",");
            return new Point(Integer.parseInt(xy[0].trim()), Integer.parseInt(xy[1].trim()));
        }

        @Override
        protected void writeInternal(Point point, HttpOutputMessage output) throws IOException {
            output.getBody().write((point.x() + "," + point.y()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    static class Routes {
        @HttpRoute(path = "/points/mirror", method = HttpMethod.POST)
        Point mirror(@RequestBody Point p) {
            return new Point(p.y(), p.x());
        }

        @HttpRoute("/points/origin")
        ResponseEntity<Point> origin() {
            return ResponseEntity.ok().header("X-Origin", "yes").body(new Point(0, 0));
        }

        @HttpRoute("/points")
        List<Point> points() {
            return List.of(new Point(1, 2));
        }

        @HttpRoute(path = "/bytes", method = HttpMethod.POST)
        byte[] bytes(@RequestBody byte[] body) {
            return body;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }

        @Bean
        PointConverter pointConverter() {
            return new PointConverter();
        }
    }

    private HttpResponse<String> post(String path, String type, String accept, String body) throws Exception {
        RouteClient client = new RouteClient(port);
        return client.send(client.request(path).header("Content-Type", type).header("Accept", accept)
                .POST(BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        RouteClient client = new RouteClient(port);
        return client.send(client.request(path).header("Accept", accept));
    }

    @Test
    void aConverterBeanReadsAndWritesItsOwnMediaType() throws Exception {
        HttpResponse<String> mirrored = post("/points/mirror", "text/x-point", "text/x-point", "2,3");
        assertThat(mirrored.statusCode()).isEqualTo(200);
        assertThat(mirrored.headers().firstValue("Content-Type")).hasValue("text/x-point;charset=US-ASCII");
        assertThat(mirrored.body()).isEqualTo("3,2");
        HttpResponse<String> entity = get("/points/origin", "text/x-point");
        assertThat(entity.body()).isEqualTo("0,0");
        assertThat(entity.headers().firstValue("X-Origin")).hasValue("yes");
    }

    @Test
    void theClientsAcceptPicksTheConverter() throws Exception {
        HttpResponse<String> json = post("/points/mirror", "text/x-point", "application/json", "2,3");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.body()).isEqualTo("{\"x\":3,\"y\":2}");
        HttpResponse<String> fromJson = post("/points/mirror", "application/json", "text/x-point", "{\"x\":5,\"y\":6}");
        assertThat(fromJson.body()).isEqualTo("6,5");
        assertThat(get("/points/origin", "text/x-point;q=0.5, application/json").body()).isEqualTo("{\"x\":0,\"y\":0}");
    }

    @Test
    void anAcceptNoConverterWritesIs406() throws Exception {
        HttpResponse<String> xml = get("/points", "application/xml");
        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(xml.body()).contains("\"status\":406");
        assertThat(get("/points", "application/json").body()).isEqualTo("[{\"x\":1,\"y\":2}]");
        assertThat(get("/points", "*/*").headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void aContentTypeNoConverterReadsIs415WithWhatIsReadable() throws Exception {
        HttpResponse<String> csv = post("/points/mirror", "text/csv", "*/*", "2,3");
        assertThat(csv.statusCode()).isEqualTo(415);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(csv.headers().firstValue("Accept").orElseThrow())
                .contains("text/x-point").contains("application/json");
    }

    @Test
    void bytesGoBackAsOctetStream() throws Exception {
        HttpResponse<String> bytes = post("/bytes", "application/octet-stream", "*/*", "0123");
        assertThat(bytes.body()).isEqualTo("0123");
        assertThat(bytes.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }
}
