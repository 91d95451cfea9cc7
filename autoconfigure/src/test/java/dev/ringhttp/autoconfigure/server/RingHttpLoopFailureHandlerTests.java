package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.RingHttpProperties;
import dev.ringhttp.autoconfigure.actuate.RingHttpHealthContributorAutoConfiguration;
import dev.ringhttp.autoconfigure.actuate.RingHttpHealthIndicator;
import dev.ringhttp.core.RingHttpServer;
import java.nio.channels.ClosedSelectorException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the application does when its event loop dies: health DOWN and the
 * lifecycle stopped always; by default the context closed and the JVM
 * exited non-zero (observed here through a {@link ProcessExit} bean;
 * {@code LoopFailureExitIntegrationTests} watches a real exit).
 */
@ExtendWith(OutputCaptureExtension.class)
class RingHttpLoopFailureHandlerTests {

    /** An exit that only records what it was asked to do. */
    private record Exit(int status, String thread, boolean contextClosed) {
    }

    private final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
    private final AtomicReference<ConfigurableApplicationContext> running = new AtomicReference<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpHealthContributorAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1",
                    "ringhttp.server.max-connections=4", "ringhttp.server.max-websocket-connections=2",
                    "ringhttp.server.outgoing-buffer-size=1MB", "ringhttp.server.shutdown-grace-period=0s");

    @Test
    void byDefaultClosesTheContextAndExitsNonZeroOffTheLoopThread(CapturedOutput output) {
        runner.withBean(ProcessExit.class, () -> status -> exits.add(new Exit(status,
                Thread.currentThread().getName(), running.get().isClosed()))).run(context -> {
                    running.set(context);
                    assertThat(context.getBean(RingHttpProperties.class).getOnLoopFailure())
                            .isEqualTo(LoopFailureAction.EXIT);
                    RingHttpServer server = context.getBean(RingHttpServer.class);
                    int port = server.address().getPort();
                    LoopKiller.kill(server);

                    Exit exit = exits.poll(10, TimeUnit.SECONDS);
                    assertThat(exit).as("exit requested").isNotNull();
                    assertThat(exit.status()).isEqualTo(RingHttpLoopFailureHandler.EXIT_STATUS);
                    assertThat(exit.thread()).isEqualTo("ringhttp-loop-failure-exit");
                    assertThat(exit.contextClosed()).as("context closed before the exit").isTrue();
                    assertThat(output).contains("ERROR").contains("Stopping the application: the ringhttp event loop"
                            + " died (java.nio.channels.ClosedSelectorException), so nothing answers on port " + port);
                    assertThat(exits.poll(200, TimeUnit.MILLISECONDS)).as("a second exit").isNull();
                });
    }

    @Test
    void keepRunningLeavesTheContextUpWithHealthDownAndTheLifecycleStopped(CapturedOutput output) {
        runner.withBean(ProcessExit.class, () -> status -> exits.add(new Exit(status, "", false)))
                .withPropertyValues("ringhttp.server.on-loop-failure=keep-running").run(context -> {
                    RingHttpServer server = context.getBean(RingHttpServer.class);
                    RingHttpServerLifecycle lifecycle = context.getBean(RingHttpServerLifecycle.class);
                    RingHttpHealthIndicator health = context.getBean(RingHttpHealthIndicator.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                    LoopKiller.kill(server);
                    awaitLoggedDeath(output);

                    assertThat(server.failure()).isInstanceOf(ClosedSelectorException.class);
                    assertThat(lifecycle.isRunning()).isFalse();
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsEntry("error",
                            ClosedSelectorException.class.getName() + ": null");
                    assertThat(output).contains("the application keeps running with ringhttp health DOWN")
                            .doesNotContain("ringhttp health check failed");
                    assertThat(context.isActive()).isTrue();
                    assertThat(exits.poll(200, TimeUnit.MILLISECONDS)).as("exit requested").isNull();
                });
    }

    @Test
    void theDefaultExitIsTheJvmsAndAnApplicationMayReplaceIt() {
        runner.run(context -> assertThat(context.getBean(ProcessExit.class)).isSameAs(ProcessExit.SYSTEM));
        ProcessExit own = status -> { };
        runner.withBean(ProcessExit.class, () -> own)
                .run(context -> assertThat(context.getBean(ProcessExit.class)).isSameAs(own));
    }

    /** The handler logs after the server reports itself dead, so its message means the death is complete. */
    private static void awaitLoggedDeath(CapturedOutput output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!output.getAll().contains("the ringhttp event loop died")) {
            assertThat(System.nanoTime() - deadline).as("waiting for the loop to die").isNegative();
            Thread.sleep(10);
        }
    }
}
