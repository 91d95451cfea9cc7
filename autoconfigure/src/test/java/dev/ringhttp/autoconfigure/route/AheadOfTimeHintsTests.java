package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * Processing an application ahead of time registers what its routes and WebSocket handlers need in
 * a native image: route methods for invocation, the types they bind from and to JSON, handler classes.
 */
class AheadOfTimeHintsTests {

    private RuntimeHints hints;

    public record NewOrder(String item, int quantity) {
    }

    public record Order(long id, String item, Customer customer) {
    }

    public record Customer(String name) {
    }

    public record Receipt(String text) {
    }

    public record Report(List<String> lines) {
    }

    public record Line(String text) {
    }

    static class Routes {
        @HttpRoute("/orders/{id}")
        Order order(@PathVariable long id) {
            return new Order(id, "tea", new Customer("ada"));
        }

        @HttpRoute(path = "/orders", method = HttpMethod.POST)
        ResponseEntity<Receipt> create(@RequestBody NewOrder order) {
            return ResponseEntity.status(201).body(new Receipt(order.item()));
        }

        @HttpRoute("/report")
        CompletableFuture<ResponseEntity<Report>> report() {
            return CompletableFuture.completedFuture(ResponseEntity.ok(new Report(List.of())));
        }

        @HttpRoute("/lines")
        ResponseEntity<List<Line>> lines() {
            return ResponseEntity.ok(List.of());
        }

        @HttpRoute("/hello")
        void hello(HttpResponse response) {
        }

        String notARoute() {
            return "";
        }
    }

    @WsHandler("/ws/chat")
    static class Chat implements WsListener {
    }

    @BeforeEach
    void processAheadOfTime() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean(Routes.class);
        context.registerBean(Chat.class);
        TestGenerationContext generation = new TestGenerationContext();
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        hints = generation.getRuntimeHints();
    }

    @Test
    void registersRouteMethodsForInvocation() {
        for (String method : List.of("order", "create", "report", "hello")) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Routes.class, method))
                    .as(method).accepts(hints);
        }
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Routes.class, "notARoute")).rejects(hints);
    }

    @Test
    void registersTheTypesRoutesBindFromAndToJson() {
        // Bound types get their accessors, and the types they refer to in turn.
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NewOrder.class, "item")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "customer")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Customer.class, "name")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "text"))
                .as("inside ResponseEntity").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Report.class, "lines"))
                .as("inside CompletableFuture<ResponseEntity<...>>").accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Line.class, "text"))
                .as("a list's elements").accepts(hints);
        assertThat(hints.reflection().getTypeHint(TypeReference.of(ResponseEntity.class)))
                .as("wrappers are not bound").isNull();
    }

    @Test
    void registersWebSocketHandlerClasses() {
        assertThat(RuntimeHintsPredicates.reflection().onType(Chat.class)).accepts(hints);
    }
}
