package dev.ringhttp.autoconfigure.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.testing.LogAssertions;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ClassPathResource;

/**
 * Static files over a real socket: served from the configured locations with their validators,
 * revalidated with 304, behind the routes, and never outside the loaded files.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = StaticResourcesIntegrationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB",
        "ringhttp.server.shutdown-grace-period=0s",
        "spring.web.resources.static-locations=classpath:/static-site/,classpath:/static-site-extra",
        "ringhttp.static.cache-control=no-cache, private" })
class StaticResourcesIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    MeterRegistry registry;

    static class Routes {
        @HttpRoute("/shadowed.html")
        String shadowed() {
            return "the route";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    @Test
    void servesAFileWithItsTypeValidatorsAndCacheControl() throws IOException {
        RawResponse response = get("/css/app.css", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(text("static-site/css/app.css"));
        assertThat(response.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(response.body().length));
        assertThat(response.header("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache, private");
        Instant modified = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(response.header("Last-Modified")));
        assertThat(modified).isBefore(Instant.now().plusSeconds(1));
        assertThat(get("/data.json", "").header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    }

    @Test
    void servesIndexHtmlAtItsDirectory() throws IOException {
        String root = text("static-site/index.html");

        assertThat(get("/", "").bodyText()).isEqualTo(root);
        assertThat(get("/index.html", "").bodyText()).isEqualTo(root);
        assertThat(get("/", "").header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(get("/docs/", "").bodyText()).isEqualTo(text("static-site/docs/index.html"));
        assertThat(get("/docs/index.html", "").bodyText()).isEqualTo(text("static-site/docs/index.html"));
        assertThat(get("/?v=2", "").bodyText()).as("the query is not part of the path").isEqualTo(root);
        assertThat(get("/docs", "").status()).as("a directory without its slash is no file").isEqualTo(404);
    }

    @Test
    void theFirstLocationWinsAndLaterOnesAddTheirFiles() throws IOException {
        assertThat(get("/extra.txt", "").bodyText()).isEqualTo("extra\n");
        assertThat(get("/index.html", "").bodyText()).isEqualTo(text("static-site/index.html"));
    }

    @Test
    void servesNamesThatNeedPercentEncoding() throws IOException {
        assertThat(get("/hello%20world.txt", "").bodyText()).isEqualTo("spaced\n");
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() throws IOException {
        RawResponse full = get("/css/app.css", "");
        try (RawConnection c = new RawConnection(port)) {
            c.send("HEAD /css/app.css HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse head = c.readResponse(true);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(full.body().length));
            assertThat(head.header("ETag")).isEqualTo(full.header("ETag"));
            // The connection stays usable after a bodiless answer.
            c.send("GET /extra.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("extra\n");
        }
    }

    @Test
    void revalidationWithTheETagAnswers304() throws IOException {
        RawResponse first = get("/css/app.css", "");
        String etag = first.header("ETag");

        RawResponse again = get("/css/app.css", "If-None-Match: " + etag + "\r\n");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.header("Cache-Control")).isEqualTo("no-cache, private");

        assertThat(get("/css/app.css", "If-None-Match: \"other\", W/" + etag + "\r\n").status())
                .as("weak comparison within a list").isEqualTo(304);
        assertThat(get("/css/app.css", "If-None-Match: *\r\n").status()).isEqualTo(304);
        assertThat(get("/css/app.css", "If-None-Match: \"other\"\r\n").status()).isEqualTo(200);
        assertThat(get("/css/app.css", "If-None-Match: \"other\"\r\nIf-Modified-Since: "
                + first.header("Last-Modified") + "\r\n").status())
                .as("If-None-Match decides when present").isEqualTo(200);
    }

    @Test
    void revalidationWithTheDateAnswers304UnlessTheFileIsNewer() throws IOException {
        String lastModified = get("/css/app.css", "").header("Last-Modified");
        Instant modified = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(lastModified));

        assertThat(get("/css/app.css", "If-Modified-Since: " + lastModified + "\r\n").status()).isEqualTo(304);
        assertThat(get("/css/app.css", "If-Modified-Since: " + httpDate(modified.plusSeconds(3600)) + "\r\n").status())
                .isEqualTo(304);
        assertThat(get("/css/app.css", "If-Modified-Since: " + httpDate(modified.minusSeconds(3600)) + "\r\n").status())
                .isEqualTo(200);
        assertThat(get("/css/app.css", "If-Modified-Since: yesterday\r\n").status())
                .as("an invalid date is ignored").isEqualTo(200);
    }

    @Test
    void otherMethodsAre405WithAllowAndOptionsIs204() throws IOException {
        RawResponse post = request("POST /css/app.css HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

        RawResponse options = request("OPTIONS /css/app.css HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void routesTakePrecedenceOverFiles() throws IOException {
        assertThat(get("/shadowed.html", "").bodyText()).isEqualTo("the route");
        RawResponse post = request("POST /shadowed.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(post.status()).as("the route's path, not the file's").isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(post.bodyText()).doesNotContain("shadows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../application.properties", "/css/../../application.properties",
            "/%2e%2e/application.properties", "/..%2Fapplication.properties", "/css%2Fapp.css", "/css%2fapp.css",
            "/css\\app.css", "/..\\application.properties", "//css/app.css", "/css/./app.css", "/./index.html",
            "/static-site/index.html", "/css/app.css%00", "/%63ss/app.css", "/CSS/app.css", "/css/"})
    void pathsOutsideTheLoadedFilesReachNothing(String path, CapturedOutput output) throws IOException {
        RawResponse response = request("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response.status()).isIn(400, 404);
        assertThat(response.bodyText()).doesNotContain("management", "color", "root index");
        LogAssertions.assertNoWarningsOrErrors(output);
    }

    @Test
    void answersAreTimedUnderTheStaticRouteLabel() throws IOException {
        get("/extra.txt", "");

        assertThat(registry.find("ringhttp.requests").tag("route", StaticResourceContributor.ROUTE)
                .tag("status", "200").timer()).isNotNull();
    }

    private RawResponse get(String path, String headers) throws IOException {
        return request("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
    }

    private RawResponse request(String request) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.send(request);
            return c.readResponse();
        }
    }

    private static String text(String resource) throws IOException {
        return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
    }

    private static String httpDate(Instant instant) {
        return StaticResourceLoader.HTTP_DATE.format(instant);
    }
}
