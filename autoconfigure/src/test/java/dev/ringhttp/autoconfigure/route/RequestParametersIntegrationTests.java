package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Request parameters as Spring MVC has them, over real sockets: repeated query parameters into
 * collections and arrays, every parameter into a map, form bodies as parameters and as a
 * {@code MultiValueMap} body, and 415 for a body of a type the route does not read.
 */
@SpringBootTest(classes = RequestParametersIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class RequestParametersIntegrationTests {

    @LocalRingHttpPort
    int port;


    record Greeting(String name) {
    }

    static class Routes {
        @HttpRoute("/tags")
        String tags(@RequestParam List<String> tag, @RequestParam(defaultValue = "x,y") List<String> other) {
            return tag + " " + other;
        }

        @HttpRoute("/sum")
        String sum(@RequestParam int[] id) {
            return String.valueOf(Arrays.stream(id).sum());
        }

        @HttpRoute("/first")
        String first(@RequestParam String tag) {
            return tag;
        }

        @HttpRoute("/all")
        String all(@RequestParam Map<String, String> first, @RequestParam MultiValueMap<String, String> every) {
            return first + " " + every;
        }

        @HttpRoute(path = "/signup", method = HttpMethod.POST)
        String signup(@RequestParam String name, @RequestParam List<String> lang) {
            return name + " " + lang;
        }

        @HttpRoute(path = "/form", method = HttpMethod.POST)
        String form(@RequestBody MultiValueMap<String, String> fields) {
            return fields.toString();
        }

        @HttpRoute(path = "/greet", method = HttpMethod.POST)
        String greet(@RequestBody Greeting greeting) {
            return "hello " + greeting.name();
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

    private HttpResponse<String> get(String path) throws Exception {
        return new RouteClient(port).get(path);
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return new RouteClient(port).post(path, type, body);
    }

    @Test
    void repeatedParametersBindToCollectionsAndArrays() throws Exception {
        assertThat(get("/tags?tag=a&tag=b%20c&tag=d").body()).isEqualTo("[a, b c, d] [x, y]");
        assertThat(get("/sum?id=1&id=2&id=39").body()).isEqualTo("42");
        assertThat(get("/first?tag=a&tag=b").body()).as("a single value takes the first").isEqualTo("a");
        assertThat(get("/tags").statusCode()).isEqualTo(400);
        assertThat(get("/sum?id=1&id=two").statusCode()).isEqualTo(400);
    }

    @Test
    void everyParameterBindsToAMap() throws Exception {
        assertThat(get("/all?a=1&b=2&a=3").body()).isEqualTo("{a=1, b=2} {a=[1, 3], b=[2]}");
    }

    @Test
    void formFieldsAreRequestParametersAndAFormBody() throws Exception {
        String form = "application/x-www-form-urlencoded";
        assertThat(post("/signup?lang=c", form, "name=Ada+L&lang=java&lang=kotlin").body())
                .isEqualTo("Ada L [c, java, kotlin]");
        assertThat(post("/form", form + "; charset=UTF-8", "a=1&b=%C3%A9&a=2").body()).isEqualTo("{a=[1, 2], b=[é]}");
    }

    @Test
    void aBodyOfAnotherTypeIs415SayingWhatIsAccepted() throws Exception {
        HttpResponse<String> text = post("/greet", "text/plain", "{\"name\":\"ada\"}");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(text.headers().firstValue("Accept")).hasValue("application/json, application/*+json");
        assertThat(post("/greet", "application/json", "{\"name\":\"ada\"}").body()).isEqualTo("hello ada");
        assertThat(post("/greet", "application/vnd.api+json", "{\"name\":\"bo\"}").body()).isEqualTo("hello bo");
        assertThat(post("/form", "application/json", "{}").statusCode()).isEqualTo(415);
        assertThat(post("/greet", "no/such/type;;", "{}").statusCode()).isEqualTo(415);
    }
}
