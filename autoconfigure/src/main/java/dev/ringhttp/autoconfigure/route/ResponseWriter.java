package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;

/**
 * Turns a route's return value into the response: {@code ResponseEntity}
 * (status, headers, body), a {@code ProblemDetail} or {@code ErrorResponse}
 * as {@code application/problem+json}, {@code CharSequence} as UTF-8 text,
 * {@code byte[]}, a static {@code ByteBuffer}, {@code null} as 204, and any
 * other object as JSON.
 */
final class ResponseWriter {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String JSON = "application/json";

    private final @Nullable JsonCodec json;
    private final ProblemWriter problems;

    ResponseWriter(@Nullable JsonCodec json) {
        this.json = json;
        this.problems = new ProblemWriter(json);
    }

    /** Writes {@code value} and returns the status set. */
    int write(@Nullable Object value, HttpResponse response, boolean voidReturn) throws Exception {
        return write(value, response, voidReturn, null);
    }

    /**
     * Writes {@code value} and returns the status set; {@code produced}, the type negotiated from
     * the route's {@code produces}, is the body's Content-Type unless the value sets its own.
     */
    int write(@Nullable Object value, HttpResponse response, boolean voidReturn, @Nullable MediaType produced)
            throws Exception {
        if (value instanceof ProblemDetail problem) {
            return problems.write(response, problem);
        }
        if (value instanceof ErrorResponse error) {
            copyHeaders(error.getHeaders(), response);
            return problems.write(response, error.getBody());
        }
        if (value instanceof ResponseEntity<?> entity) {
            int status = entity.getStatusCode().value();
            response.status(status);
            boolean typed = copyHeaders(entity.getHeaders(), response);
            if (!typed && produced != null) {
                response.contentType(produced.toString());
                typed = true;
            }
            Object body = entity.getBody();
            if (body != null) {
                writeBody(body, response, typed);
            }
            return status;
        }
        if (value == null) {
            int status = voidReturn ? 204 : 200;
            response.status(status);
            return status;
        }
        if (produced != null) {
            response.contentType(produced.toString());
        }
        writeBody(value, response, produced != null);
        return 200;
    }

    private void writeBody(Object body, HttpResponse response, boolean typed) throws Exception {
        if (body instanceof CharSequence text) {
            if (!typed) {
                response.contentType(TEXT_PLAIN);
            }
            response.body(text);
        } else if (body instanceof byte[] bytes) {
            if (!typed) {
                response.contentType(OCTET_STREAM);
            }
            response.body(bytes);
        } else if (body instanceof ByteBuffer buffer) {
            if (!typed) {
                response.contentType(OCTET_STREAM);
            }
            response.body(buffer);
        } else if (body instanceof ProblemDetail problem && json != null) {
            if (!typed) {
                response.contentType(ProblemWriter.PROBLEM_JSON);
            }
            response.body(json.write(ProblemWriter.members(problem)));
        } else {
            if (json == null) {
                throw new IllegalStateException("cannot write " + body.getClass().getName()
                        + " as JSON: Jackson (tools.jackson.core:jackson-databind) is not on the classpath");
            }
            if (!typed) {
                response.contentType(JSON);
            }
            response.body(json.write(body));
        }
    }

    /** Copies entity headers, the ones the core response knows by name through their setters. Returns whether a Content-Type was set. */
    static boolean copyHeaders(HttpHeaders headers, HttpResponse response) {
        boolean typed = false;
        for (Map.Entry<String, List<String>> e : headers.headerSet()) {
            String name = e.getKey();
            String value = String.join(", ", e.getValue());
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                response.contentType(value);
                typed = true;
            } else if (name.equalsIgnoreCase(HttpHeaders.CACHE_CONTROL)) {
                response.cacheControl(value);
            } else if (name.equalsIgnoreCase(HttpHeaders.CONTENT_ENCODING)) {
                response.contentEncoding(value);
            } else if (name.equalsIgnoreCase(HttpHeaders.LOCATION)) {
                response.location(value);
            } else if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)
                    && !name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                response.header(name, value);
            }
        }
        return typed;
    }
}
