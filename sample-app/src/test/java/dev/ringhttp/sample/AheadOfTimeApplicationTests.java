package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.JdkWebSocket;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The sample as processed ahead of time, the form a native image is built from: the build's
 * {@code spring-boot-maven-plugin:process-aot} (bound before the tests) generates its bean
 * definitions as code and its reachability metadata, and this test starts it with
 * {@code spring.aot.enabled=true}, so that the generated code replaces configuration-class parsing,
 * then uses its routes, static page, actuator mappings and a WebSocket over real sockets.
 */
class AheadOfTimeApplicationTests {

    private static final String INITIALIZER = SampleApplication.class.getName() + "__ApplicationContextInitializer";
    private static final String METADATA =
            "META-INF/native-image/dev.ringhttp/ringhttp-sample-app/reachability-metadata.json";

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theProcessedApplicationRunsWithGeneratedBeanDefinitions() throws Exception {
        assertThat(ClassUtils.isPresent(INITIALIZER, getClass().getClassLoader()))
                .as("the build's process-aot generated " + INITIALIZER).isTrue();
        SpringApplication application = new SpringApplication(SampleApplication.class);
        // The generated initializer is looked up by the main class, which here would be surefire's.
        application.setMainApplicationClass(SampleApplication.class);
        ConfigurableApplicationContext context;
        System.setProperty(AotDetector.AOT_ENABLED, "true");
        try {
            context = application.run("--server.port=0",
                    "--server.address=127.0.0.1", "--ringhttp.server.max-connections=16",
                    "--ringhttp.server.max-websocket-connections=16", "--ringhttp.server.outgoing-buffer-size=1MB");
        } finally {
            System.clearProperty(AotDetector.AOT_ENABLED);
        }
        try (context) {
            BeanDefinition routes = context.getBeanFactory().getBeanDefinition("sampleRoutes");
            assertThat(((RootBeanDefinition) routes).getInstanceSupplier())
                    .as("a bean definition generated ahead of time creates its bean by code").isNotNull();
            // Run from generated code, Boot keeps its default context, which publishes no local.server.port.
            int port = context.getEnvironment().getRequiredProperty("local.ringhttp.port", Integer.class);

            assertThat(get(port, "/hello").body()).isEqualTo("Hello, World!");
            HttpResponse<String> stats = get(port, "/api/stats");
            assertThat(stats.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(stats.body()).contains("\"accepted\"");
            assertThat(get(port, "/").body()).contains("<canvas");
            assertThat(get(port, "/actuator/mappings").body()).contains("\"ringhttp\"", "{GET [/api/stats]}",
                    "/ws/echo");
            try (JdkWebSocket ws = JdkWebSocket.connect(port, "/ws/echo")) {
                ws.sendText("ahead of time");
                assertThat(ws.nextText()).isEqualTo("ahead of time");
            }
        }
    }

    @Test
    void theReachabilityMetadataCoversRoutesTheirBodiesAndTheMappingsDescription() throws Exception {
        String metadata;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(METADATA)) {
            assertThat(in).as(METADATA + ", written by process-aot").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metadata).contains("\"dev.ringhttp.sample.SampleRoutes\"", "\"dev.ringhttp.sample.StatsSnapshot\"",
                "\"dev.ringhttp.sample.EchoHandler\"",
                "\"dev.ringhttp.autoconfigure.actuate.RingHttpMappingDescriptionProvider$RouteDescription\"");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
