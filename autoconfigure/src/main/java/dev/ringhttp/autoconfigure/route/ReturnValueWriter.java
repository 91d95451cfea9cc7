package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.ServerContext;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;

/**
 * Turns a route's return value into the response, as Spring MVC does: a {@code ResponseEntity}
 * (status, headers, body), a {@code ProblemDetail} or {@code ErrorResponse} as
 * {@code application/problem+json}, {@code null} as 204 for a void method (else 200), and any
 * other body through the {@link RouteConverters} with content negotiation.
 *
 * <p>Two bodies skip the converters, so that they cost no allocation: a {@code ByteBuffer}, sent
 * as a static body (typed {@code application/octet-stream} unless the route or entity says
 * otherwise), and a {@code String} with nothing to negotiate (no {@code Accept}, no
 * {@code produces}, no preset type) while the converters would write it as UTF-8 text anyway.
 */
final class ReturnValueWriter {

    /** What spring-web's UTF-8 {@code StringHttpMessageConverter} types {@code text/plain} as. */
    static final String TEXT_PLAIN_UTF8 = "text/plain;charset=UTF-8";
    static final String OCTET_STREAM = "application/octet-stream";

    private final RouteConverters converters;
    private final ProblemWriter problems;
    private final ServerContext context;

    ReturnValueWriter(RouteConverters converters, ProblemWriter problems, ServerContext context) {
        this.converters = converters;
        this.problems = problems;
        this.context = context;
    }

    /**
     * Writes {@code value} and returns the status set. Event loop only (bodies are staged there).
     *
     * @param negotiation what the request and the route say about the answer's type
     */
    int write(@Nullable Object value, HttpResponse response, boolean voidReturn, Negotiation negotiation)
            throws Exception {
        MediaType produced = negotiation.produced();
        String accept = negotiation.accept();
        if (value instanceof ProblemDetail problem) {
            return problems.write(response, problem);
        }
        if (value instanceof ErrorResponse error) {
            ResponseHeaders.copy(error.getHeaders(), response);
            return problems.write(response, error.getBody());
        }
        if (value instanceof ResponseEntity<?> entity) {
            int status = entity.getStatusCode().value();
            response.status(status);
            ResponseHeaders.copy(entity.getHeaders(), response);
            Object body = entity.getBody();
            if (body != null) {
                writeBody(body, response, entity.getHeaders().getContentType(), produced, accept);
            }
            return status;
        }
        if (value == null) {
            int status = voidReturn ? 204 : 200;
            response.status(status);
            return status;
        }
        writeBody(value, response, null, produced, accept);
        return 200;
    }

    private void writeBody(Object body, HttpResponse response, @Nullable MediaType preset,
            @Nullable MediaType produced, @Nullable String accept) throws Exception {
        if (body instanceof ByteBuffer buffer) {
            if (preset == null) {
                response.contentType(produced != null ? produced.toString() : OCTET_STREAM);
            }
            response.body(buffer);
        } else if (body instanceof ProblemDetail problem) {
            problems.writeBody(response, problem, preset);
        } else if (body instanceof String text && preset == null && produced == null && accept == null
                && converters.writesStringsAsUtf8Text()) {
            response.contentType(TEXT_PLAIN_UTF8).body(text);
        } else {
            converters.write(body, ResolvableType.forClass(body.getClass()), preset, produced, accept, response,
                    context.staging());
        }
    }
}
