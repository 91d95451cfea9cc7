package dev.ringhttp.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The sample application on a free port, with small buffers and a fast live
 * feed. Every test class uses this one annotation so that they share one
 * cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = {
        "ringhttp.server.port=0",
        "ringhttp.server.max-connections=64",
        "ringhttp.server.max-websocket-connections=64",
        "ringhttp.server.outgoing-buffer-size=1MB",
        "sample.live.interval=200ms"})
@interface SampleAppTest {
}
