package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * {@code @Valid} and {@code @Validated} request bodies, checked with Boot's validator (Hibernate
 * Validator on the test classpath): a violation is 400 with the errors in the problem detail.
 */
@SpringBootTest(classes = ValidationIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class ValidationIntegrationTests {

    @LocalRingHttpPort
    int port;


    /** Checked only when the Strict group is asked for. */
    interface Strict {
    }

    record NewUser(@NotBlank String name, @Min(18) int age, @Min(value = 100, groups = Strict.class) int score) {
    }

    static class Routes {
        @HttpRoute(path = "/users", method = HttpMethod.POST)
        String create(@Valid @RequestBody NewUser user) {
            return "created " + user.name();
        }

        @HttpRoute(path = "/users/strict", method = HttpMethod.POST)
        String strict(@Validated(Strict.class) @RequestBody NewUser user) {
            return "strict " + user.name();
        }

        @HttpRoute(path = "/users/unchecked", method = HttpMethod.POST)
        String unchecked(@RequestBody NewUser user) {
            return "unchecked " + user.name();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return new RouteClient(port).post(path, "application/json", json);
    }

    @Test
    void anInvalidBodyIs400WithItsFieldErrorsInTheProblemDetail() throws Exception {
        HttpResponse<String> r = post("/users", "{\"name\":\" \",\"age\":12,\"score\":0}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).startsWith("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,")
                .contains("\"detail\":\"Invalid request content.\"")
                .contains("{\"field\":\"name\",\"message\":\"must not be blank\"}")
                .contains("{\"field\":\"age\",\"message\":\"must be greater than or equal to 18\"}")
                .doesNotContain("score");
    }

    @Test
    void aValidBodyReachesTheRoute() throws Exception {
        HttpResponse<String> r = post("/users", "{\"name\":\"ada\",\"age\":36,\"score\":0}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("created ada");
    }

    @Test
    void validatedChecksTheGroupsItNames() throws Exception {
        HttpResponse<String> r = post("/users/strict", "{\"name\":\"\",\"age\":1,\"score\":5}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"score\"").doesNotContain("\"field\":\"name\"");
        assertThat(post("/users/strict", "{\"name\":\"\",\"age\":1,\"score\":100}").body()).isEqualTo("strict ");
    }

    @Test
    void aBodyWithoutValidIsNotChecked() throws Exception {
        HttpResponse<String> r = post("/users/unchecked", "{\"name\":\"\",\"age\":1,\"score\":0}");
        assertThat(r.statusCode()).isEqualTo(200);
    }
}
