package dev.ringhttp.autoconfigure.actuate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@link ActuatorTestApplication} on a free loopback port with small buffers and the actuator's
 * endpoints exposed. Every test class that uses this one annotation shares one cached application
 * context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.max-request-size=8KB",
        "ringhttp.server.max-websocket-message-size=4KB", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s",
        "management.endpoints.web.exposure.include=health,info,metrics,prometheus,ringhttp",
        "management.endpoint.health.show-details=always" })
public @interface ActuatorIntegrationTest {
}
