package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A ringhttp application, run in a JVM of its own by
 * {@link LoopFailureExitIntegrationTests}, that kills its server's event loop
 * once started and leaves the rest to the defaults. No component scan, so
 * that the test configurations beside it stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class LoopFailureExitApplication {

    /** Printed once the application has started, before the loop is killed. */
    static final String STARTED = "loop-failure-exit-application started";

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(LoopFailureExitApplication.class, args);
        System.out.println(STARTED);
        LoopKiller.kill(context.getBean(RingHttpServer.class));
    }
}
