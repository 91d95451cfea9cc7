package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import java.net.http.HttpResponse;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * {@code @ExceptionHandler} methods on the route's bean and on advice beans, over real sockets:
 * the bean's own first, then the advice that applies to the bean in the advice's order, on the
 * loop, for deferred answers and for blocking routes alike.
 */
@SpringBootTest(classes = ExceptionHandlersIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class ExceptionHandlersIntegrationTests {

    @LocalRingHttpPort
    int port;


    record Missing(String what) {
    }

    static class Routes {
        @HttpRoute("/argument")
        String argument() {
            throw new IllegalArgumentException("size must be positive");
        }

        @HttpRoute("/state")
        String state() {
            throw new IllegalStateException("locked");
        }

        @HttpRoute("/later")
        CompletableFuture<String> later() {
            return CompletableFuture.failedFuture(new IllegalStateException("locked later"));
        }

        @HttpRoute(path = "/blocking", blocking = true)
        String blocking() {
            throw new IllegalStateException("locked off the loop");
        }

        @HttpRoute("/missing")
        String missing() {
            throw new NoSuchElementException("order 7");
        }

        @HttpRoute("/wrapped")
        String wrapped() {
            throw new RuntimeException("wrapper", new NoSuchElementException("order 8"));
        }

        @HttpRoute("/unsupported")
        String unsupported() {
            throw new UnsupportedOperationException("not here");
        }

        @HttpRoute("/handler-fails")
        String handlerFails() {
            throw new ArithmeticException("divide");
        }

        @ExceptionHandler
        ResponseEntity<String> ownHandler(IllegalArgumentException e) {
            return ResponseEntity.status(422).body("own handler: " + e.getMessage());
        }
    }

    static class OtherRoutes {
        @HttpRoute("/other/unsupported")
        String unsupported() {
            throw new UnsupportedOperationException("not there either");
        }
    }

    @RestControllerAdvice
    @Order(1)
    static class FirstAdvice {
        @ExceptionHandler
        ProblemDetail state(IllegalStateException e) {
            return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        }

        @ExceptionHandler(NoSuchElementException.class)
        @ResponseStatus(HttpStatus.NOT_FOUND)
        Missing missing(NoSuchElementException e) {
            return new Missing(e.getMessage());
        }

        /** Would answer 400, but the route bean's own handler comes first. */
        @ExceptionHandler
        ResponseEntity<String> argument(IllegalArgumentException e) {
            return ResponseEntity.badRequest().body("advice");
        }

        @ExceptionHandler
        String fails(ArithmeticException e) {
            throw new IllegalStateException("the handler itself failed");
        }
    }

    @ControllerAdvice
    @Order(2)
    static class SecondAdvice {
        /** Later in order than FirstAdvice's handler for the same exception: never used. */
        @ExceptionHandler
        ResponseEntity<String> state(IllegalStateException e) {
            return ResponseEntity.status(418).body("second");
        }
    }

    @RestControllerAdvice(assignableTypes = OtherRoutes.class)
    static class OtherRoutesAdvice {
        @ExceptionHandler
        @ResponseStatus(HttpStatus.NOT_IMPLEMENTED)
        String unsupported(UnsupportedOperationException e) {
            return "only for other routes: " + e.getMessage();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }

        @Bean
        OtherRoutes otherRoutes() {
            return new OtherRoutes();
        }

        @Bean
        FirstAdvice firstAdvice() {
            return new FirstAdvice();
        }

        @Bean
        SecondAdvice secondAdvice() {
            return new SecondAdvice();
        }

        @Bean
        OtherRoutesAdvice otherRoutesAdvice() {
            return new OtherRoutesAdvice();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new RouteClient(port).get(path);
    }

    @Test
    void theRouteBeansOwnHandlerComesBeforeAnyAdvice() throws Exception {
        HttpResponse<String> r = get("/argument");
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).isEqualTo("own handler: size must be positive");
    }

    @Test
    void adviceAnswersInItsOrderOnTheLoopForDeferredAndForBlockingRoutes() throws Exception {
        for (String path : new String[] {"/state", "/later", "/blocking"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(409);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.body()).as(path).contains("\"status\":409", "\"detail\":\"locked");
        }
    }

    @Test
    void aHandlersResponseStatusAppliesAndCausesAreMatched() throws Exception {
        HttpResponse<String> missing = get("/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"what\":\"order 7\"}");
        HttpResponse<String> wrapped = get("/wrapped");
        assertThat(wrapped.statusCode()).isEqualTo(404);
        assertThat(wrapped.body()).isEqualTo("{\"what\":\"order 8\"}");
    }

    @Test
    void adviceLimitedToSomeBeansAppliesOnlyToThem() throws Exception {
        HttpResponse<String> other = get("/other/unsupported");
        assertThat(other.statusCode()).isEqualTo(501);
        assertThat(other.body()).isEqualTo("only for other routes: not there either");
        assertThat(get("/unsupported").statusCode()).isEqualTo(500);
    }

    @Test
    void aHandlerThatThrowsIs500AndTheServerGoesOn() throws Exception {
        assertThat(get("/handler-fails").statusCode()).isEqualTo(500);
        assertThat(get("/argument").statusCode()).isEqualTo(422);
    }
}
