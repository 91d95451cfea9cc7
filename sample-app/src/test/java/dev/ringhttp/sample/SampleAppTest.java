package dev.ringhttp.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample application on a free port, as Spring Boot tests any web
 * application ({@code RANDOM_PORT}), with small buffers and a fast live feed,
 * and Boot's {@code TestRestTemplate}. Every test class uses this one
 * annotation so that they share one cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "ringhttp.server.max-connections=64",
        "ringhttp.server.max-websocket-connections=64",
        "ringhttp.server.outgoing-buffer-size=1MB",
        "sample.live.interval=200ms"})
@interface SampleAppTest {
}
