package dev.ringhttp.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * A request carrying a W3C {@code traceparent} continues that trace: with
 * Micrometer Tracing's Brave bridge (wired by hand here, as Boot's tracing
 * auto-configuration would), the request has a server span in the caller's
 * trace, and what the route logs carries the same trace id and the span's id
 * in the MDC, where log patterns read them.
 *
 * <p>The log events are taken by an appender on the route's own logger rather
 * than by changing the console pattern: Logback's configuration outlives this
 * test's context and would change what later tests in the JVM see.
 */
@SpringBootTest(classes = TracePropagationIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class TracePropagationIntegrationTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

    @LocalRingHttpPort
    int port;

    @Autowired
    FinishedSpans spans;

    @Autowired
    MeterRegistry meters;

    static class Routes {
        private static final Log LOG = LogFactory.getLog(Routes.class);

        @HttpRoute("/traced/{id}")
        String traced(@PathVariable String id) {
            LOG.info("handling traced request " + id);
            return "traced " + id;
        }
    }

    /** Keeps the spans Brave finishes, as a reporter would send them. */
    static class FinishedSpans extends SpanHandler {
        final Queue<MutableSpan> spans = new ConcurrentLinkedQueue<>();

        @Override
        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            if (cause == Cause.FINISHED) {
                spans.add(span);
            }
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        FinishedSpans finishedSpans() {
            return new FinishedSpans();
        }

        @Bean(destroyMethod = "close")
        Tracing braveTracing(FinishedSpans spans) {
            return Tracing.newBuilder()
                    .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder()
                            .addScopeDecorator(MDCScopeDecorator.get()).build())
                    .propagationFactory(new W3CPropagation())
                    .addSpanHandler(spans)
                    .build();
        }

        @Bean
        Tracer tracer(Tracing tracing) {
            return new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
                    new BraveBaggageManager());
        }

        @Bean
        Propagator propagator(Tracing tracing) {
            return new BravePropagator(tracing);
        }

        /** Boot's ObservationRegistry picks this up as one of its handlers. */
        @Bean
        PropagatingReceiverTracingObservationHandler<?> receiverTracingHandler(Tracer tracer, Propagator propagator) {
            return new PropagatingReceiverTracingObservationHandler<>(tracer, propagator);
        }

        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    private final ListAppender<ILoggingEvent> routeLog = new ListAppender<>();

    @BeforeEach
    void captureTheRoutesLog() {
        routeLog.start();
        routeLogger().addAppender(routeLog);
    }

    @AfterEach
    void releaseTheRoutesLog() {
        routeLogger().detachAppender(routeLog);
    }

    private static Logger routeLogger() {
        return (Logger) LoggerFactory.getLogger(Routes.class);
    }

    @Test
    void traceparentBecomesTheParentOfTheRequestSpanAndTheLogsCarryItsIds() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/traced/1"))
                .header("traceparent", TRACEPARENT).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        MutableSpan span = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.spans.stream().filter(s -> "/traced/1".equals(s.tag("http.url")))
                        .findFirst().orElse(null), s -> s != null);
        assertThat(span.name()).isEqualTo("http get /traced/{id}");
        assertThat(span.traceId()).isEqualTo(TRACE_ID);
        assertThat(span.parentId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(span.id()).isNotEqualTo(PARENT_SPAN_ID);
        assertThat(span.kind()).isEqualTo(brave.Span.Kind.SERVER);
        assertThat(span.tag("uri")).isEqualTo("/traced/{id}");
        assertThat(span.tag("status")).isEqualTo("200");
        assertThat(span.tag("http.url")).isEqualTo("/traced/1");

        assertThat(routeLog.list).filteredOn(e -> e.getFormattedMessage().equals("handling traced request 1"))
                .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap())
                        .containsEntry("traceId", TRACE_ID).containsEntry("spanId", span.id()));
        assertThat(meters.get("http.server.requests").tags("uri", "/traced/{id}", "outcome", "SUCCESS").timer()
                .count()).isPositive();
    }

    @Test
    void requestWithoutTraceparentStartsANewTrace() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/traced/2"))
                .timeout(Duration.ofSeconds(10)).build();
        assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        MutableSpan span = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.spans.stream().filter(s -> "/traced/2".equals(s.tag("http.url")))
                        .findFirst().orElse(null), s -> s != null);
        assertThat(span.traceId()).isNotEqualTo(TRACE_ID);
        assertThat(span.parentId()).isNull();
    }
}
