package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.Staging;
import java.io.OutputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;

/**
 * A response as spring-web's converters write it: the headers they set are collected, and the
 * body bytes go straight into the loop's outgoing ring, staged, with no copy in between. Loop
 * thread only, like the staging API. {@link #finish} hands the staged bytes to the response as
 * its body; {@link #abandon} drops them, so a converter that fails half-way leaves nothing staged.
 */
final class RingBodyMessage implements HttpOutputMessage {

    private final HttpHeaders headers = new HttpHeaders();
    private final Staging staging;
    private final StagingOutputStream body;

    RingBodyMessage(Staging staging) {
        this.staging = staging;
        this.body = new StagingOutputStream(staging);
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public OutputStream getBody() {
        return body;
    }

    /** Copies the headers onto {@code response} and makes the staged bytes its body (none staged: no body). */
    void finish(HttpResponse response) {
        ResponseHeaders.copy(headers, response);
        if (staging.length() == 0 && !staging.inError()) {
            return;
        }
        response.stagedBody();
    }

    void abandon() {
        staging.unstage();
    }

    /** Stages what is written; closing it is a no-op, since the hand-off is {@link #finish}'s. */
    private static final class StagingOutputStream extends OutputStream {

        private final Staging staging;
        private final byte[] one = new byte[1];

        StagingOutputStream(Staging staging) {
            this.staging = staging;
        }

        @Override
        public void write(int b) {
            one[0] = (byte) b;
            staging.bytes(one, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            staging.bytes(bytes, offset, length);
        }
    }
}
