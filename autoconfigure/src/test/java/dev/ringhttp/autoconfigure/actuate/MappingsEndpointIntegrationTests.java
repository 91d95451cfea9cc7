package dev.ringhttp.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.resource.StaticResourceContributor;
import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.route.RouteContributor;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /actuator/mappings} over a real socket lists ringhttp's routes, WebSocket paths and static files. */
@SpringBootTest(classes = MappingsEndpointIntegrationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s",
        "spring.web.resources.static-locations=classpath:/static-site-extra/",
        "management.endpoints.web.exposure.include=mappings" })
class MappingsEndpointIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    ApplicationContext context;

    record Item(String name) {
    }

    static class Routes {
        @HttpRoute("/items/{id}")
        Item item(@PathVariable long id) {
            return new Item("item " + id);
        }

        @HttpRoute(path = {"/items", "/things"}, method = {HttpMethod.POST, HttpMethod.PUT})
        Item save(@RequestBody Item item) {
            return item;
        }
    }

    @WsHandler(path = "/ws/news", channel = "news")
    static class News implements WsListener {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }

        @Bean
        News news() {
            return new News();
        }
    }

    @Test
    void listsRoutesWithTheirHandlerMethodsAndConditions() throws Exception {
        JsonNode ringhttp = ringhttpMappings();
        List<JsonNode> routes = list(ringhttp.get("routes"));

        assertThat(routes).extracting(r -> r.get("predicate").asString())
                .containsExactlyInAnyOrder("{GET [/items/{id}]}", "{POST, PUT [/items]}", "{POST, PUT [/things]}");
        JsonNode item = routes.stream().filter(r -> r.get("predicate").asString().contains("/items/{id}"))
                .findFirst().orElseThrow();
        assertThat(item.get("handler").asString()).isEqualTo(Routes.class.getName() + "#item(long)");
        JsonNode method = item.at("/details/handlerMethod");
        assertThat(method.get("className").asString()).isEqualTo(Routes.class.getName());
        assertThat(method.get("name").asString()).isEqualTo("item");
        assertThat(method.get("descriptor").asString()).isEqualTo("(J)L" + Item.class.getName().replace('.', '/') + ";");
        JsonNode conditions = item.at("/details/requestMappingConditions");
        assertThat(list(conditions.get("methods"))).extracting(JsonNode::asString).containsExactly("GET");
        assertThat(list(conditions.get("patterns"))).extracting(JsonNode::asString).containsExactly("/items/{id}");
        assertThat(conditions.get("consumes").isArray()).isTrue();
        assertThat(conditions.get("produces").isArray()).isTrue();
    }

    @Test
    void listsWebSocketPathsAndStaticFiles() throws Exception {
        JsonNode ringhttp = ringhttpMappings();

        JsonNode ws = list(ringhttp.get("webSockets")).get(0);
        assertThat(ws.get("path").asString()).isEqualTo("/ws/news");
        assertThat(ws.get("channel").asString()).isEqualTo("news");
        assertThat(ws.get("handler").asString()).isEqualTo(News.class.getName());
        assertThat(list(ringhttp.get("staticResources"))).extracting(s -> s.get("path").asString())
                .containsExactlyInAnyOrder("/", "/index.html", "/extra.txt");
    }

    @Test
    void actuatorPathsAreAskedBeforeStaticFiles() {
        // The order the dispatcher asks its contributors in.
        List<RouteContributor> contributors = context.getBeanProvider(RouteContributor.class).orderedStream().toList();

        assertThat(contributors).hasExactlyElementsOfTypes(ActuatorRouteContributor.class,
                StaticResourceContributor.class);
    }

    private JsonNode ringhttpMappings() throws Exception {
        RawResponse response;
        try (RawConnection c = new RawConnection(port)) {
            c.send("GET /actuator/mappings HTTP/1.1\r\nHost: x\r\n\r\n");
            response = c.readResponse();
        }
        assertThat(response.status()).isEqualTo(200);
        JsonNode contexts = JsonMapper.builder().build().readTree(response.bodyText()).get("contexts");
        JsonNode mappings = contexts.values().iterator().next().get("mappings");
        assertThat(mappings.has("ringhttp")).as(mappings.toString()).isTrue();
        return mappings.get("ringhttp");
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
