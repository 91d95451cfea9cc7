package dev.ringhttp.autoconfigure.testclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.server.RingHttpWebServer;
import dev.ringhttp.autoconfigure.server.WebServerTestApplication;
import dev.ringhttp.core.ServerConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.http.server.LocalTestWebServer;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A ringhttp application tested the way Spring Boot documents for any web
 * application: on a random port, with the port injected and Boot's test
 * clients pointed at the running server, over real sockets.
 *
 * <p>{@code TestRestTemplate} comes from {@code @AutoConfigureTestRestTemplate}.
 * {@code RestTestClient} is built from {@link LocalTestWebServer}: Boot's
 * {@code @AutoConfigureRestTestClient} needs a servlet
 * {@code WebApplicationContext}, and Spring cannot manage a
 * {@code RestTestClient} bean without spring-webmvc on the classpath.
 */
@SpringBootTest(classes = WebServerTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"ringhttp.server.max-connections=8", "ringhttp.server.max-websocket-connections=2",
                "ringhttp.server.outgoing-buffer-size=1MB", "spring.main.banner-mode=off"})
@AutoConfigureTestRestTemplate
class RandomPortTestClientsIntegrationTests {

    @LocalServerPort
    int localServerPort;

    @LocalRingHttpPort
    int localRingHttpPort;

    @Autowired
    RingHttpWebServer webServer;

    @Autowired
    ServerConfig config;

    @Autowired
    TestRestTemplate testRestTemplate;

    @Autowired
    ApplicationContext context;

    RestTestClient restTestClient;

    @BeforeEach
    void bindRestTestClient() {
        restTestClient = RestTestClient.bindToServer()
                .uriBuilderFactory(LocalTestWebServer.obtain(context).uriBuilderFactory()).build();
    }

    @Test
    void listensOnTheFreePortBootAskedForAndInjectsIt() {
        assertThat(config.port()).as("server.port=0 from RANDOM_PORT, as ringhttp's port").isZero();
        assertThat(webServer.getPort()).isPositive()
                .isEqualTo(webServer.server().address().getPort())
                .isEqualTo(localServerPort)
                .isEqualTo(localRingHttpPort);
    }

    @Test
    void testRestTemplateReachesTheServer() {
        ResponseEntity<String> response = testRestTemplate.getForEntity("/hello", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).isEqualTo("hello");
    }

    @Test
    void restTestClientReachesTheServer() {
        restTestClient.get().uri("/hello").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("hello");
    }

    @Test
    void testClientsGetTheServersAnswerForAPathWithoutARoute() {
        restTestClient.get().uri("/nothing-here").exchange().expectStatus().isNotFound();
        assertThat(testRestTemplate.getForEntity("/nothing-here", String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }
}
